package dev.pipescope.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.ConnectionSettings;
import dev.pipescope.Pipescope;
import dev.pipescope.Secret;
import dev.pipescope.ServerTarget;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunSource;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.error.ReadOnlyViolationException;
import dev.pipescope.error.SecretTableException;
import dev.pipescope.testing.Fixtures;
import dev.pipescope.testing.PostgresServer;
import dev.pipescope.testing.PostgresState;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The notebook over Hyperpage's PostgreSQL database (fixtures/hyperpage_postgres.sql) opened read-only: its helpers
 * render its jobs and runs, {@code %%sql} reads it, and nothing a cell or a raw connection tries writes to it or
 * shows its accounts, tokens or sessions.
 */
class HyperpagePostgresNotebookTest {
    private static final String EMAIL = "ada.lovelace@example.com";
    private static ServerTarget target;
    private static Map<String, String> before;
    private static NotebookSession session;

    @BeforeAll
    static void openThroughTheSession() {
        target = Fixtures.postgresFromScript("fixtures/hyperpage_postgres.sql", "hyperpage_notebook");
        before = PostgresState.of(target);
        session = new NotebookSession();
        session.use(Pipescope.openReadOnly(target));
    }

    @AfterAll
    static void nothingChanged() {
        session.close();
        assertEquals(before, PostgresState.of(target), "the notebook changed Hyperpage's database");
    }

    /** Every cell of every rendered table, to prove no secret is in any. */
    private static String everything(tech.tablesaw.api.Table table) {
        return session.show(table, Integer.MAX_VALUE).html() + table.printAll();
    }

    @Test
    void describeNamesTheServerDatabaseAndItsJobs() {
        var text = session.describe();
        assertTrue(text.startsWith(target.location() + " (read-only)"), text);
        assertTrue(text.contains("HYPERPAGE") && text.contains("jobs: 9"), text);
        assertFalse(text.contains(PostgresServer.get().password().map(Secret::reveal).orElseThrow()), text);
    }

    @Test
    void jobsRenderAsOnASqliteFile() {
        var jobs = session.jobs();
        assertEquals(9, jobs.rowCount());
        assertEquals(List.of("id", "name", "type", "status", "priority", "tool", "created_at", "started_at",
                "completed_at", "duration_ms", "retries"), jobs.columnNames());
        var html = everything(jobs);
        assertTrue(html.contains("github-1763542800000-a1b2c3") && html.contains("Refresh GitHub pull requests"), html);
        assertEquals(Set.of("pending", "running", "completed", "failed", "cancelled", "timeout"),
                new HashSet<>(jobs.stringColumn("status").asList()));
        int completed = jobs.stringColumn("id").indexOf("github-1763542800000-a1b2c3");
        assertEquals(60_250L, jobs.longColumn("duration_ms").get(completed));
        assertFalse(html.contains(EMAIL));
    }

    @Test
    void failuresAndUnifiedRunsIncludeItsJobs() {
        var all = session.allRuns();
        assertEquals(9, all.rowCount());
        assertTrue(all.stringColumn("source").asList().stream().allMatch("HYPERPAGE"::equalsIgnoreCase),
                all.stringColumn("source").asList().toString());
        var failures = session.runs(RunFilter.capped().source(RunSource.HYPERPAGE).status(RunStatus.FAILED));
        assertEquals(2, failures.rowCount());
        assertTrue(everything(failures).contains("Jira API responded 503 Service Unavailable"));
        var stale = session.stale(Duration.ofHours(1));
        assertEquals(List.of("github-1763543220000-p7q8r9"), stale.stringColumn("id").asList(),
                "the job left running since 2025");
    }

    @Test
    void sqlReadsItsTables() {
        var jobs = session.sql("SELECT id, status, payload, created_at FROM jobs ORDER BY id");
        assertEquals(9, jobs.rowCount());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), jobs.longColumn("id").asList());
        assertEquals("2025-11-19T09:00:00Z", jobs.stringColumn("created_at").get(0), "timestamptz as its UTC instant");
        assertEquals("[\"github\", \"pull-requests\"]", session.sql("SELECT payload -> 'tags' AS tags FROM jobs WHERE id = 1")
                .stringColumn("tags").get(0), "jsonb as its text");
        var byStatus = session.sql("SELECT count(*) AS n FROM jobs WHERE status IN (:statuses)",
                Map.of("statuses", List.of("failed", "timeout")));
        assertEquals(2L, byStatus.longColumn("n").get(0));
        assertEquals(1L, session.sql("TABLE app_state").where(
                session.sql("TABLE app_state").stringColumn("key").isEqualTo("theme")).rowCount());
        assertTrue(session.sql("EXPLAIN SELECT * FROM jobs").rowCount() > 0, "a plan is a query");
    }

    @Test
    void tablesThatHoldSecretsAreNeverShownHoweverTheyAreReached() {
        for (var statement : List.of(
                "SELECT * FROM users",
                "SELECT email FROM USERS",
                "TABLE users",
                "SELECT j.id FROM jobs j WHERE EXISTS (SELECT 1 FROM oauth_tokens)",
                "SELECT access_token FROM oauth_tokens t JOIN jobs j ON true",
                "WITH u AS (SELECT email FROM users) SELECT * FROM u",
                "SELECT * FROM user_sessions",
                "SELECT * FROM public.users",
                "SELECT (SELECT max(email) FROM users) AS e",
                "SELECT most_common_vals FROM pg_stats WHERE tablename = 'users'",
                "SELECT query_to_xml('select email from users', true, false, '')",
                "SELECT table_to_xml('users', true, false, '')",
                "EXPLAIN ANALYZE SELECT * FROM users",
                "SELECT 1; SELECT email FROM users")) {
            var e = assertThrows(SecretTableException.class, () -> session.sql(statement), statement);
            assertTrue(e.getMessage().contains("secrets"), e.getMessage());
            assertFalse(e.getMessage().contains(EMAIL) || e.getMessage().contains("SECRET"), e.getMessage());
        }
        assertEquals(9L, session.sql("SELECT count(*) AS n FROM jobs").longColumn("n").get(0), "the rest still reads");
    }

    @Test
    void sqlThatWritesIsRefusedAndNothingChanges() {
        for (var statement : List.of(
                "UPDATE jobs SET status = 'failed'",
                "DELETE FROM job_history",
                "INSERT INTO app_state (key, value) VALUES ('theme', '\"light\"')",
                "CREATE TABLE pipescope_probe (id int)",
                "DROP TABLE jobs",
                "ALTER TABLE jobs ADD COLUMN probe int",
                "TRUNCATE rate_limits",
                "CREATE INDEX probe_idx ON jobs (type)",
                "WITH gone AS (DELETE FROM jobs RETURNING id) SELECT count(*) FROM gone",
                "SELECT * FROM jobs FOR UPDATE",
                "SELECT nextval('jobs_id_seq')",
                "SELECT setval('jobs_id_seq', 1000)",
                "EXPLAIN ANALYZE DELETE FROM jobs",
                "SELECT * INTO probe_copy FROM jobs",
                "SET TRANSACTION READ WRITE",
                "SELECT 1; UPDATE jobs SET attempts = 99",
                "SELECT set_config('transaction_read_only', 'off', false); UPDATE jobs SET attempts = 99")) {
            var e = assertThrows(ReadOnlyViolationException.class, () -> session.sql(statement), statement);
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
            assertEquals(before, PostgresState.of(target), "after " + statement);
        }
    }

    /** Under the notebook, the connections themselves never write: Pipescope refuses, and PostgreSQL does. */
    @Test
    void rawConnectionsNeverWrite() {
        var connections = session.db().connections();
        assertThrows(ReadOnlyViolationException.class, () -> connections.write("update jobs",
                h -> h.execute("UPDATE jobs SET status = 'failed'")));
        assertThrows(ReadOnlyViolationException.class, () -> connections.withWriterConnection("drop jobs",
                c -> c.createStatement().execute("DROP TABLE jobs")));
        for (var statement : List.of("UPDATE jobs SET status = 'failed'", "CREATE TABLE probe (id int)",
                "DROP TABLE app_state", "SELECT nextval('jobs_id_seq')")) {
            assertThrows(PipescopeException.class, () -> connections.read("try " + statement, h -> h.execute(statement)),
                    statement);
        }
        // a session setting turned off in one read is not a way to write in the next (pooled) one
        connections.read("turn the read-only default off",
                h -> h.createQuery("SELECT set_config('default_transaction_read_only', 'off', false)").mapTo(String.class).one());
        for (int i = 0; i < 8; i++) {
            assertThrows(PipescopeException.class, () -> connections.read("update after the setting",
                    h -> h.execute("UPDATE jobs SET attempts = 7")));
        }
        assertEquals(before, PostgresState.of(target));
    }

    /**
     * Read-write, Hyperpage's database takes the cell's writes as SQLite files do, and the guard still holds: a view
     * made in the same cell does not hide a secret table, and nothing of that cell stays.
     */
    @Test
    void onAReadWriteOpenAViewMadeInTheCellDoesNotHideSecrets() {
        var writable = Fixtures.postgresFromScript("fixtures/hyperpage_postgres.sql", "hyperpage_notebook_rw");
        try (var db = Pipescope.open(writable, ConnectionSettings.readWrite())) {
            var e = assertThrows(SecretTableException.class, () -> SqlRunner.run(db,
                    "CREATE VIEW plain AS SELECT email FROM users; SELECT * FROM plain", Map.of()));
            assertTrue(e.getMessage().contains("statement 2 of 2"), e.getMessage());
            assertEquals(0L, SqlRunner.run(db, "SELECT count(*) AS n FROM pg_views WHERE viewname = 'plain'", Map.of())
                    .longColumn("n").get(0), "the cell's view was rolled back");
            // a query whose plan does not show its write runs again in a write transaction
            assertEquals(11L, SqlRunner.run(db, "SELECT nextval('jobs_id_seq') AS n", Map.of()).longColumn("n").get(0));
            assertEquals(1L, SqlRunner.run(db, "UPDATE app_state SET value = '\"light\"' WHERE key = 'theme'", Map.of())
                    .longColumn("changes").get(0));
        }
    }
}
