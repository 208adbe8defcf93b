package dev.pipescope.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.Secret;
import dev.pipescope.ServerTarget;
import dev.pipescope.domain.DagCache;
import dev.pipescope.domain.ExecutionStateType;
import dev.pipescope.domain.ExecutionTree;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineRun;
import dev.pipescope.domain.ProcessingMetrics;
import dev.pipescope.domain.RunMeasures;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.domain.TreeNode;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.error.ReadOnlyViolationException;
import dev.pipescope.testing.PostgresServer;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A PostgreSQL database opened read-only is never written: every repository write is refused with a typed
 * error before touching the server, raw SQL through {@code connections()} is refused by the server itself,
 * and every row of every table is as it was.
 */
class PostgresReadOnlyTest {
    private static final Instant T0 = Instant.parse("2025-10-01T08:00:00Z");
    private ServerTarget target;
    private Pipeline pipeline;
    private String runId;

    @BeforeEach
    void populate() {
        target = PostgresServer.get().newPipescopeDatabase("read_only");
        pipeline = Pipeline.builder("compress-logs").createdAt(T0).config("max_workers", "4").build();
        try (var db = Pipescope.open(target)) {
            db.pipelines().save(pipeline);
            runId = db.runs().start(pipeline.id(), T0, RunMeasures.ofInput(100)).id();
            db.dags().saveCache("nightly", DagCache.builder().put("fetch", "rows", IntNode.valueOf(3)).build());
            db.dags().saveSnapshot("nightly", DagCache.builder().put("fetch", "rows", IntNode.valueOf(3)).build());
            db.dags().saveExecutionState("nightly", ExecutionStateType.PENDING, new byte[] {1, 2});
        }
    }

    /** Every row of every table in the current schema, as text, by table. */
    private Map<String, List<String>> everyRow() throws SQLException {
        var rows = new LinkedHashMap<String, List<String>>();
        try (var c = DriverManager.getConnection(target.jdbcUrl(), target.user().orElseThrow(),
                target.password().map(Secret::reveal).orElse(null)); var st = c.createStatement()) {
            var tables = new ArrayList<String>();
            try (var rs = st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (var table : tables) {
                var found = new ArrayList<String>();
                try (var rs = st.executeQuery("SELECT t::text FROM \"" + table + "\" t ORDER BY 1")) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
                rows.put(table, found);
            }
        }
        return rows;
    }

    private static void refused(PipescopeDatabase db, String what, Executable write) {
        var e = assertThrows(ReadOnlyViolationException.class, write, what);
        assertTrue(e.getMessage().contains(db.connections().location()), what + ": " + e.getMessage());
    }

    @Test
    void everyWriteThroughTheRepositoriesIsRefusedAndNothingChanges() throws SQLException {
        var before = everyRow();
        assertTrue(before.get("pipelines").size() == 1 && before.get("pipeline_runs").size() == 1, before.toString());
        try (var db = Pipescope.openReadOnly(target)) {
            assertTrue(db.readOnly());
            assertEquals(pipeline, db.pipelines().findById(pipeline.id()).orElseThrow());
            refused(db, "save", () -> db.pipelines().save(Pipeline.builder("another").build()));
            refused(db, "update", () -> db.pipelines().update(pipeline));
            refused(db, "archive", () -> db.pipelines().archive(pipeline.id()));
            refused(db, "delete", () -> db.pipelines().delete(pipeline.id()));
            refused(db, "metrics", () -> db.metrics().upsert(new ProcessingMetrics(pipeline.id(), 1, 1, 1, 1, T0, T0,
                    0L, 0, null, 0, 0, 0, 0, null, null)));
            refused(db, "start", () -> db.runs().start(pipeline.id()));
            refused(db, "finish", () -> db.runs().finish(runId, RunMeasures.ofInput(100)));
            refused(db, "fail stale", () -> db.runs().failStale(Duration.ZERO, "stale"));
            refused(db, "record", () -> db.runs().recordAll(List.of(new PipelineRun("r2", pipeline.id(),
                    RunStatus.SUCCEEDED, 1, T0, T0.plusSeconds(1), T0.plusSeconds(1), 1000L, RunMeasures.NONE, null))));
            refused(db, "cache", () -> db.dags().saveCache("nightly", DagCache.builder().build()));
            refused(db, "json", () -> db.dags().setJson("nightly", "fetch", "rows", IntNode.valueOf(4)));
            refused(db, "snapshot", () -> db.dags().saveSnapshot("nightly", DagCache.builder().build()));
            refused(db, "tree", () -> db.dags().saveExecutionTree("nightly", new ExecutionTree(
                    List.of(TreeNode.succeeded(0, "fetch", "nightly/fetch", LocalDateTime.of(2025, 1, 1, 0, 0))), List.of())));
            refused(db, "state", () -> db.dags().saveExecutionState("nightly", ExecutionStateType.ACTIVE, new byte[] {9}));
            // reads still work
            assertEquals(1, db.runs().stale(Duration.ZERO).size());
            assertEquals(1, db.dags().listSnapshots("nightly").size());
        }
        assertEquals(before, everyRow());
    }

    @Test
    void rawSqlThroughConnectionsIsRefusedByTheServerAndNothingChanges() throws SQLException {
        var before = everyRow();
        try (var db = Pipescope.openReadOnly(target)) {
            var connections = db.connections();
            refused(db, "write", () -> connections.write("update", h -> h.execute("UPDATE pipelines SET name = 'x'")));
            refused(db, "writer connection", () -> connections.withWriterConnection("drop",
                    c -> c.createStatement().execute("DROP TABLE pipeline_runs")));
            // what %%sql does: a read whose SQL writes. The server refuses it (SQLState 25006)
            for (var sql : List.of("UPDATE pipelines SET name = 'x'", "DELETE FROM pipeline_runs",
                    "INSERT INTO artifacts (dag_id, node_id, key, value) VALUES ('d', 'n', 'k', 'v')",
                    "CREATE TABLE sneaked (id int)", "DROP TABLE pipeline_runs", "ALTER TABLE pipelines ADD COLUMN x int",
                    "TRUNCATE snapshots")) {
                var e = assertThrows(PipescopeException.class, () -> connections.read("run " + sql, h -> h.execute(sql)));
                assertTrue(e instanceof ReadOnlyViolationException, sql + ": " + e);
                assertTrue(e.getMessage().contains(target.database()), e.getMessage());
            }
            // SET cannot lift it: the read's first query already fixed its mode
            assertThrows(PipescopeException.class, () -> connections.read("lift", h -> {
                h.execute("SET TRANSACTION READ WRITE");
                return h.execute("DELETE FROM pipeline_runs");
            }));
            // nor a new session default set inside a read: every read starts read-only again
            connections.read("set a default", h -> h.execute("SET default_transaction_read_only = off"));
            assertThrows(ReadOnlyViolationException.class,
                    () -> connections.read("after", h -> h.execute("DELETE FROM pipeline_runs")));
        }
        assertEquals(before, everyRow());
        assertFalse(everyRow().containsKey("sneaked"));
    }
}
