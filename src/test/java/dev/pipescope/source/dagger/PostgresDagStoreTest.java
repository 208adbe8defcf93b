package dev.pipescope.source.dagger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.pipescope.ConnectionSettings;
import dev.pipescope.Secret;
import dev.pipescope.domain.DagCache;
import dev.pipescope.domain.DagStore;
import dev.pipescope.domain.ExecutionStateType;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.store.PostgresDatabase;
import dev.pipescope.testing.PostgresServer;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The DAG store contract on a fresh database on a PostgreSQL server (blobs as bytea). */
class PostgresDagStoreTest extends DagStoreContractTest {
    private final List<PostgresDatabase> opened = new ArrayList<>();

    @Override
    protected DagStore newStore(Clock clock, long maxDecodedBytes) {
        var db = PostgresDatabase.open(PostgresServer.get().newPipescopeDatabase("dags"), ConnectionSettings.readWrite());
        opened.add(db);
        return new SqlDagStore(db.connections(), clock, maxDecodedBytes);
    }

    @AfterEach
    void close() {
        opened.forEach(PostgresDatabase::close);
    }

    /**
     * A damaged row is named by its table, DAG and server database; a snapshot by its id. Artifacts and states
     * have no row number on PostgreSQL, so their keys name them (and no "row null" or "row 0" appears).
     */
    @Test
    void damagedRowsAreNamedByTableDagAndDatabase() throws SQLException {
        var target = PostgresServer.get().newDatabase("dags_damaged");
        long snapshotId;
        try (var db = PostgresDatabase.open(target, ConnectionSettings.readWrite())) {
            var store = db.dags();
            store.saveCache("nightly", DagCache.builder().put("fetch", "rows", IntNode.valueOf(3)).build());
            snapshotId = store.saveSnapshot("nightly", DagCache.builder().put("fetch", "rows", IntNode.valueOf(3)).build()).id();
            store.saveExecutionState("nightly", ExecutionStateType.ACTIVE, new byte[] {1, 2, 3});
        }
        try (var c = DriverManager.getConnection(target.jdbcUrl(), target.user().orElseThrow(),
                target.password().map(Secret::reveal).orElse(null)); var st = c.createStatement()) {
            st.execute("UPDATE artifacts SET value = '{\"value\": [1, 2'");
            st.execute("UPDATE snapshots SET snapshot_data = '\\x00010203'");
            st.execute("UPDATE execution_state SET state_data = '\\x00010203'");
        }
        try (var db = PostgresDatabase.open(target, ConnectionSettings.readOnlyDefaults())) {
            var store = db.dags();
            var artifact = assertThrows(CorruptDataException.class, () -> store.getJson("nightly", "fetch", "rows"));
            assertTrue(artifact.getMessage().contains("artifacts (dag 'nightly') in " + target.location())
                    && artifact.getMessage().contains("node 'fetch' key 'rows'"), artifact.getMessage());
            assertFalse(artifact.getMessage().contains("row null") || artifact.getMessage().contains("row 0"),
                    artifact.getMessage());
            var snapshot = assertThrows(CorruptDataException.class, () -> store.loadLatestSnapshot("nightly"));
            assertTrue(snapshot.getMessage().contains("snapshots row " + snapshotId + " (dag 'nightly') in "
                    + target.location()), snapshot.getMessage());
            var state = assertThrows(CorruptDataException.class,
                    () -> store.loadExecutionState("nightly", ExecutionStateType.ACTIVE));
            assertTrue(state.getMessage().contains("execution_state (dag 'nightly')"), state.getMessage());
        }
    }
}
