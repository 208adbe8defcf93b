package dev.pipescope.notebook;

import dev.pipescope.demo.DemoData;

import dev.pipescope.Pipescope;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlRunnerTest {

    @TempDir
    Path dir;

    @Test
    void sixtyFourBitIntegersAndFullPrecisionRealsSurvive() throws Exception {
        Path file = dir.resolve("numbers.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            c.createStatement().execute("CREATE TABLE processing_metrics_like (n INTEGER, r REAL, x)");
            // the first row is small and integral: typing from it alone would make both columns int
            c.createStatement().execute("INSERT INTO processing_metrics_like VALUES (1, 1, 1), "
                    + "(9223372036854775807, 0.1234567890123456789, 'text')");
        }
        try (NotebookSession session = new NotebookSession()) {
            session.use(dev.pipescope.store.SqliteDatabase.memory());
            session.use(rawSqlite(file));
            Table t = session.sql("SELECT n, r, x, n * 1 AS expr FROM processing_metrics_like ORDER BY rowid");
            assertEquals(ColumnType.LONG, t.column("n").type());
            assertEquals(Long.MAX_VALUE, t.longColumn("n").get(1));
            assertEquals(ColumnType.DOUBLE, t.column("r").type());
            assertEquals(0.1234567890123456789, t.doubleColumn("r").get(1));
            assertEquals(ColumnType.STRING, t.column("x").type());
            assertEquals(List.of("1", "text"), t.stringColumn("x").asList());
            assertEquals(Long.MAX_VALUE, t.longColumn("expr").get(1));
        }
    }

    /** The fixtures' schemas are known; a bare table is not, so the test opens the file as the library would a tool's file. */
    private static dev.pipescope.PipescopeDatabase rawSqlite(Path file) throws Exception {
        Path withLayout = file.resolveSibling("layout-" + file.getFileName());
        java.nio.file.Files.copy(Fixtures.file("hyperpage.db"), withLayout);
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + withLayout)) {
            c.createStatement().execute("ATTACH DATABASE '" + file + "' AS numbers");
            c.createStatement().execute("CREATE TABLE processing_metrics_like AS SELECT * FROM numbers.processing_metrics_like");
        }
        return Pipescope.openReadOnly(withLayout);
    }

    @Test
    void namedParametersBindFromTheMapAndMissingOnesAreNamed() throws Exception {
        Path copy = Fixtures.copy("hyperpage.db", dir);
        try (NotebookSession session = new NotebookSession()) {
            session.openReadOnly(copy);
            long expected;
            try (var c = DriverManager.getConnection("jdbc:sqlite:" + copy);
                 var rs = c.createStatement().executeQuery("SELECT count(*) FROM jobs WHERE status = 'completed'")) {
                rs.next();
                expected = rs.getLong(1);
            }
            Table t = session.sql("SELECT count(*) AS n FROM jobs WHERE status = :status -- :notAParameter",
                    Map.of("status", "completed"));
            assertEquals(expected, t.longColumn("n").get(0));
            var e = assertThrows(InvalidArgumentException.class, () -> session.sql("SELECT :missing"));
            assertTrue(e.getMessage().contains(":missing"), e.getMessage());
        }
        assertEquals(List.of("a", "b"), NotebookSession.parameterNames("SELECT ':x', :a, \":y\", :b, :a /* :z */"));
    }

    @Test
    void aBadQueryGetsSqlitesMessageAndWhereItWentWrong() throws Exception {
        Path copy = Fixtures.copy("hyperpage.db", dir);
        try (NotebookSession session = new NotebookSession()) {
            session.openReadOnly(copy);
            var e = assertThrows(InvalidArgumentException.class, () -> session.sql("SELECT id\nFROM jobs\nWHERE WHERE id = 1"));
            assertTrue(e.getMessage().contains("syntax error"), e.getMessage());
            assertTrue(e.getMessage().contains("line 3, column 7"), e.getMessage());
            var missing = assertThrows(InvalidArgumentException.class, () -> session.sql("SELECT nope FROM jobs"));
            assertTrue(missing.getMessage().contains("no such column: nope"), missing.getMessage());
        }
    }

    @Test
    void aReadOnlyDatabaseRefusesWritesAttachAndWritableSchemaAndStaysByteForByteTheSame() throws Exception {
        Path copy = Fixtures.copy("adaptive_pipeline.db", dir);
        String hash = Fixtures.sha256(copy);
        try (NotebookSession session = new NotebookSession()) {
            session.open(copy);
            assertTrue(session.db().readOnly());
            for (String statement : List.of("UPDATE pipelines SET name = 'x'", "DELETE FROM pipelines",
                    "ATTACH DATABASE '" + dir.resolve("other.db") + "' AS other", "PRAGMA writable_schema = ON",
                    "WITH x AS (SELECT 1) UPDATE pipelines SET name = 'y'", "CREATE TABLE t (a)",
                    "-- a comment first\nDELETE FROM pipelines", "/* SELECT */ DELETE FROM pipelines")) {
                assertThrows(PipescopeException.class, () -> session.sql(statement), statement);
            }
            assertTrue(session.sql("SELECT count(*) AS n FROM pipelines").longColumn("n").get(0) > 0);
            // a cell that says what it asks before asking it is still a query
            assertEquals(session.sql("SELECT count(*) AS n FROM pipelines").longColumn("n").get(0), session.sql(
                    "-- how many pipelines (a :colon here binds nothing)\n/* two\nlines */\n  SELECT count(*) AS n FROM pipelines")
                    .longColumn("n").get(0));
        }
        assertEquals(hash, Fixtures.sha256(copy));
        assertTrue(!java.nio.file.Files.exists(dir.resolve("other.db")));
    }

    @Test
    void aReadWriteDatabaseTakesWritesAndReportsChanges() {
        Path file = dir.resolve("rw.db");
        DemoData.create(file, dev.pipescope.demo.DemoScale.SMALL).close();
        try (NotebookSession session = new NotebookSession()) {
            session.open(file);
            Table changed = session.sql("UPDATE pipeline_configuration SET value = value WHERE key = :key",
                    NotebookSession.parameters("key", "no-such-key"));
            assertEquals(List.of("changes"), changed.columnNames());
            assertEquals(0L, changed.longColumn("changes").get(0));
        }
    }

    private Path demo(String name) {
        Path file = dir.resolve(name);
        DemoData.create(file, dev.pipescope.demo.DemoScale.SMALL).close();
        return file;
    }

    @Test
    void everyStatementOfACellRunsAndTheLastResultShows() throws Exception {
        Path file = demo("multi.db");
        try (NotebookSession session = new NotebookSession()) {
            session.open(file);
            assertEquals(List.of("b"), session.sql("SELECT 1 AS a; SELECT 2 AS b").columnNames());
            session.sql("CREATE TABLE q1(x); CREATE TABLE q2(x);");
            session.sql("PRAGMA user_version=1; PRAGMA user_version=2;");
            // a trigger's body has semicolons of its own; the cell still has two statements
            session.sql("CREATE TRIGGER q1_copy AFTER INSERT ON q1 BEGIN INSERT INTO q2 VALUES (new.x); END;\n"
                    + "INSERT INTO q1 VALUES (7); -- a comment after the last statement");
            assertEquals(7L, session.sql("SELECT x FROM q2").longColumn("x").get(0));
        }
        assertEquals(2, NotebookSessionTest.count(file, "SELECT count(*) FROM sqlite_master WHERE name IN ('q1', 'q2')"));
        assertEquals(2, NotebookSessionTest.count(file, "PRAGMA user_version"));
    }

    @Test
    void aFailingStatementIsNamedAndNothingOfTheCellIsKept() throws Exception {
        Path file = demo("atomic.db");
        try (NotebookSession session = new NotebookSession()) {
            session.open(file);
            var e = assertThrows(InvalidArgumentException.class,
                    () -> session.sql("CREATE TABLE q3(x);\nINSERT INTO q3 VALUES (1);\nINSERT INTO nope VALUES (1)"));
            assertTrue(e.getMessage().contains("statement 3 of 3") && e.getMessage().contains("no such table: nope"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("(INSERT INTO nope VALUES (1);"), e.getMessage());
        }
        assertEquals(0, NotebookSessionTest.count(file, "SELECT count(*) FROM sqlite_master WHERE name = 'q3'"));
    }

    @Test
    void aReadOnlyFileRefusesACellWithAnyWriteBeforeRunningAnyOfIt() throws Exception {
        Path copy = Fixtures.copy("adaptive_pipeline.db", dir);
        String hash = Fixtures.sha256(copy);
        try (NotebookSession session = new NotebookSession()) {
            session.open(copy);
            var e = assertThrows(PipescopeException.class,
                    () -> session.sql("SELECT 1; WITH x AS (SELECT 1) DELETE FROM pipelines"));
            assertTrue(e.getMessage().contains("statement 2 of 2"), e.getMessage());
            assertEquals(List.of("b"), session.sql("SELECT 1 AS a; SELECT 2 AS b").columnNames());
            assertTrue(session.sql("EXPLAIN QUERY PLAN SELECT * FROM pipelines").rowCount() > 0);
        }
        assertEquals(hash, Fixtures.sha256(copy));
    }

    @Test
    void aWriteThatStartsWithWithGoesToTheWriter() throws Exception {
        Path file = demo("with.db");
        long before = NotebookSessionTest.count(file, "SELECT count(*) FROM pipeline_configuration");
        String key;
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file);
             var rs = c.createStatement().executeQuery("SELECT key FROM pipeline_configuration LIMIT 1")) {
            rs.next();
            key = rs.getString(1);
        }
        long withKey = NotebookSessionTest.count(file, "SELECT count(*) FROM pipeline_configuration WHERE key = '" + key + "'");
        try (NotebookSession session = new NotebookSession()) {
            session.open(file);
            Table changed = session.sql("WITH doomed AS (SELECT :key AS k) DELETE FROM pipeline_configuration "
                    + "WHERE key IN (SELECT k FROM doomed)", Map.of("key", key));
            assertEquals(withKey, changed.longColumn("changes").get(0));
        }
        assertEquals(before - withKey, NotebookSessionTest.count(file, "SELECT count(*) FROM pipeline_configuration"));
    }

    @Test
    void aCollectionBindsOneValuePerElementAndAnUnbindableValueIsNamed() throws Exception {
        Path copy = Fixtures.copy("hyperpage.db", dir);
        try (NotebookSession session = new NotebookSession()) {
            session.openReadOnly(copy);
            long expected = NotebookSessionTest.count(copy, "SELECT count(*) FROM jobs WHERE status IN ('completed', 'failed')");
            List<String> names = List.of("completed", "failed");
            assertEquals(expected, session.sql("SELECT count(*) AS n FROM jobs WHERE status IN (:names)",
                    Map.of("names", names)).longColumn("n").get(0));
            assertEquals(expected, session.sql("SELECT count(*) AS n FROM jobs WHERE status IN (:names)",
                    Map.of("names", new String[] {"completed", "failed"})).longColumn("n").get(0));
            assertEquals(0L, session.sql("SELECT count(*) AS n FROM jobs WHERE status IN (:names)",
                    Map.of("names", List.of())).longColumn("n").get(0));
            var e = assertThrows(InvalidArgumentException.class,
                    () -> session.sql("SELECT :when AS w", Map.of("when", new StringBuilder("x").getClass().getPackage())));
            assertTrue(e.getMessage().contains(":when") && e.getMessage().contains("java.lang.Package"), e.getMessage());
        }
    }

    @Test
    void tablesThatHoldSecretsAreNeverShownHoweverTheyAreReached() throws Exception {
        Path copy = Fixtures.copy("hyperpage.db", dir);
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + copy); var st = c.createStatement()) {
            st.execute("CREATE TABLE oauth_tokens (id INTEGER PRIMARY KEY, user_id TEXT, access_token TEXT)");
            st.execute("INSERT INTO oauth_tokens (user_id, access_token) VALUES ('u1', 'gho_secret_token_value')");
            st.execute("CREATE TABLE user_sessions (id TEXT PRIMARY KEY, user_id TEXT, expires_at INTEGER)");
            st.execute("CREATE INDEX idx_tokens_user ON oauth_tokens (user_id)");
        }
        String hash = Fixtures.sha256(copy);
        try (NotebookSession session = new NotebookSession()) {
            session.open(copy);
            for (String statement : List.of("SELECT * FROM oauth_tokens", "SELECT access_token FROM OAUTH_TOKENS",
                    "SELECT count(*) FROM jobs WHERE EXISTS (SELECT 1 FROM oauth_tokens)",
                    "SELECT user_id FROM oauth_tokens WHERE user_id = 'u1'", "SELECT * FROM user_sessions",
                    "SELECT 1; SELECT * FROM oauth_tokens")) {
                var e = assertThrows(dev.pipescope.error.SecretTableException.class, () -> session.sql(statement),
                        statement);
                assertTrue(e.getMessage().contains("secrets") && !e.getMessage().contains("gho_secret"), e.getMessage());
            }
            assertTrue(session.sql("SELECT count(*) AS n FROM jobs").longColumn("n").get(0) > 0);
        }
        assertEquals(hash, Fixtures.sha256(copy));
        // on a writable file a view made in the same cell does not hide them either, and nothing of the cell stays
        try (var db = Pipescope.open(dir.resolve("own.db"))) {
            SqlRunner.run(db, "CREATE TABLE credentialstable (id TEXT, secret TEXT)", Map.of());
            var e = assertThrows(dev.pipescope.error.SecretTableException.class, () -> SqlRunner.run(db,
                    "CREATE VIEW plain AS SELECT secret FROM credentialstable; SELECT * FROM plain", Map.of()));
            assertTrue(e.getMessage().contains("statement 2 of 2"), e.getMessage());
            assertEquals(0L, SqlRunner.run(db, "SELECT count(*) AS n FROM sqlite_master WHERE name = 'plain'", Map.of())
                    .longColumn("n").get(0));
        }
    }
}
