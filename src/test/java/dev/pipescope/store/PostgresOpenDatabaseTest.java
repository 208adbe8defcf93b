package dev.pipescope.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.ConnectionSettings;
import dev.pipescope.Pipescope;
import dev.pipescope.Secret;
import dev.pipescope.ServerTarget;
import dev.pipescope.domain.Layout;
import dev.pipescope.error.AuthenticationFailedException;
import dev.pipescope.error.LayoutNotPresentException;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.error.ServerUnreachableException;
import dev.pipescope.error.UnknownSchemaException;
import dev.pipescope.postgres.PostgresMigrations;
import dev.pipescope.postgres.PostgresSchema;
import dev.pipescope.sqlite.Migrations;
import dev.pipescope.sqlite.SchemaInspector;
import dev.pipescope.testing.PostgresServer;
import java.net.ServerSocket;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Opening databases on a PostgreSQL server: an empty one is migrated, Pipescope's own reopened, and every bad
 * target (unreachable, refused, missing, someone else's, newer) is a typed error that names the host and
 * database, never the password, and changes nothing.
 */
class PostgresOpenDatabaseTest {

    private static List<String> rows(ServerTarget target, String sql) throws SQLException {
        try (var c = DriverManager.getConnection(target.jdbcUrl(), target.user().orElseThrow(),
                target.password().map(Secret::reveal).orElse(null));
             var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            var found = new ArrayList<String>();
            while (rs.next()) {
                found.add(rs.getString(1));
            }
            return found;
        }
    }

    private static void execute(ServerTarget target, String... statements) throws SQLException {
        try (var c = DriverManager.getConnection(target.jdbcUrl(), target.user().orElseThrow(),
                target.password().map(Secret::reveal).orElse(null)); var st = c.createStatement()) {
            for (var sql : statements) {
                st.execute(sql);
            }
        }
    }

    private static List<String> tables(ServerTarget target) throws SQLException {
        return rows(target, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1");
    }

    @Test
    void anEmptyDatabaseIsMigratedToTheSameVersionsAsSqlite() throws SQLException {
        var target = PostgresServer.get().newDatabase("open_new");
        try (var db = Pipescope.open(target)) {
            assertInstanceOf(PostgresDatabase.class, db, "found through ServiceLoader");
            assertEquals(Set.of(Layout.PIPESCOPE, Layout.ADAPTIVE_PIPELINE, Layout.RUN_HISTORY, Layout.DAGGER),
                    db.layouts());
            assertFalse(db.readOnly());
            assertEquals(Optional.empty(), db.path());
            assertEquals(target.location(), db.connections().location());
        }
        assertEquals(Migrations.knownVersions(), PostgresMigrations.knownVersions(), "one schema history, two engines");
        assertEquals(Migrations.knownVersions().stream().map(String::valueOf).toList(),
                rows(target, "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank"));
    }

    /** The PostgreSQL scripts make the tables and columns of the SQLite ones (plus runs' recorded order). */
    @Test
    void theMigratedTablesAndColumnsAreSqlitesOwn() {
        Map<String, Set<String>> sqlite;
        try (var memory = SqliteDatabase.memory()) {
            sqlite = memory.connections().read("tables", h -> {
                try {
                    return SchemaInspector.tables(h.getConnection());
                } catch (SQLException e) {
                    throw memory.connections().translate(e, "tables");
                }
            });
        }
        Map<String, Set<String>> postgres;
        try (var db = PostgresDatabase.open(PostgresServer.get().newDatabase("open_same"), ConnectionSettings.readWrite())) {
            postgres = db.connections().read("tables", h -> {
                try {
                    return PostgresSchema.tables(h.getConnection());
                } catch (SQLException e) {
                    throw db.connections().translate(e, "tables");
                }
            });
        }
        var expected = columnsOf(sqlite);
        var actual = columnsOf(postgres);
        actual.get("pipeline_runs").remove("recorded_order");
        assertEquals(expected, actual);
    }

    /** Pipescope's tables with their columns, as sorted sets (Flyway's own history table differs by engine). */
    private static Map<String, Set<String>> columnsOf(Map<String, Set<String>> tables) {
        var result = new TreeMap<String, Set<String>>();
        tables.forEach((table, columns) -> {
            if (!table.equals("flyway_schema_history") && !table.equals("sqlite_sequence")) {
                result.put(table, new TreeSet<>(columns));
            }
        });
        return result;
    }

    @Test
    void reopeningPipescopesOwnDatabaseMigratesNothing() throws SQLException {
        var target = PostgresServer.get().newDatabase("open_again");
        try (var db = Pipescope.open(target)) {
            assertTrue(db.layouts().contains(Layout.PIPESCOPE));
        }
        var history = rows(target, "SELECT installed_rank || ' ' || installed_on FROM flyway_schema_history ORDER BY 1");
        try (var db = Pipescope.open(target); var again = Pipescope.openReadOnly(target)) {
            assertEquals(db.layouts(), again.layouts());
            assertTrue(again.readOnly());
        }
        assertEquals(history, rows(target, "SELECT installed_rank || ' ' || installed_on FROM flyway_schema_history ORDER BY 1"));
    }

    @Test
    void aReadOnlyOpenOfAnEmptyDatabaseCreatesNothing() throws SQLException {
        var target = PostgresServer.get().newDatabase("open_empty_ro");
        try (var db = Pipescope.openReadOnly(target)) {
            assertEquals(Set.of(), db.layouts());
            var missing = assertThrows(LayoutNotPresentException.class, db::pipelines);
            assertTrue(missing.getMessage().contains(target.database()), missing.getMessage());
        }
        assertEquals(List.of(), tables(target));
    }

    @Test
    void aDatabaseOfSomeoneElsesTablesIsRefusedNamingThemAndStaysUntouched() throws SQLException {
        var target = PostgresServer.get().newDatabase("open_foreign");
        execute(target, "CREATE TABLE customers (id int PRIMARY KEY, email text)", "CREATE TABLE orders (id int)");
        for (var settings : List.of(ConnectionSettings.readWrite(), ConnectionSettings.readOnlyDefaults())) {
            var refused = assertThrows(UnknownSchemaException.class, () -> Pipescope.open(target, settings));
            assertTrue(refused.getMessage().contains("customers") && refused.getMessage().contains("orders"),
                    refused.getMessage());
            assertNamesTheServerNotThePassword(refused, target);
        }
        assertEquals(List.of("customers", "orders"), tables(target));
    }

    @Test
    void aTableOfOursInAnotherShapeIsRefusedBeforeMigrating() throws SQLException {
        var target = PostgresServer.get().newDatabase("open_conflict");
        try (var db = Pipescope.open(target)) {
            assertTrue(db.layouts().contains(Layout.PIPESCOPE));
        }
        execute(target, "DROP TABLE pipeline_runs", "DELETE FROM flyway_schema_history WHERE version = '3'",
                "CREATE TABLE pipeline_runs (id text PRIMARY KEY)");
        var refused = assertThrows(UnknownSchemaException.class, () -> Pipescope.open(target));
        assertTrue(refused.getMessage().contains("pipeline_runs lacks columns"), refused.getMessage());
        assertEquals(List.of("1", "2"), rows(target, "SELECT version FROM flyway_schema_history ORDER BY 1"));
    }

    @Test
    void aNewerPipescopeSchemaIsRefusedAndLeftAlone() throws SQLException {
        var target = PostgresServer.get().newDatabase("open_newer");
        try (var db = Pipescope.open(target)) {
            assertTrue(db.layouts().contains(Layout.PIPESCOPE));
        }
        int newer = PostgresMigrations.latestVersion() + 1;
        execute(target, "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                + " installed_by, execution_time, success) VALUES (99, '" + newer + "', 'from the future', 'SQL',"
                + " 'V" + newer + "__future.sql', 'test', 0, true)");
        for (var settings : List.of(ConnectionSettings.readWrite(), ConnectionSettings.readOnlyDefaults())) {
            var refused = assertThrows(UnknownSchemaException.class, () -> Pipescope.open(target, settings));
            assertTrue(refused.getMessage().contains("schema version " + newer), refused.getMessage());
            assertNamesTheServerNotThePassword(refused, target);
        }
    }

    /** Dagger's tables made by someone else (no Flyway history): read as they are, never migrated. */
    @Test
    void aDatabaseOfDaggersTablesAloneIsReadAsItIsAndNotMigrated() throws Exception {
        var target = PostgresServer.get().newDatabase("open_dagger_only");
        String script;
        try (var in = PostgresMigrations.class.getClassLoader()
                .getResourceAsStream(PostgresMigrations.LOCATION + "/V2__dagger_cache.sql")) {
            script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        execute(target, script);
        for (var settings : List.of(ConnectionSettings.readWrite(), ConnectionSettings.readOnlyDefaults())) {
            try (var db = Pipescope.open(target, settings)) {
                assertEquals(Set.of(Layout.DAGGER), db.layouts());
                assertEquals(Set.of(dev.pipescope.domain.RunSource.DAGGER), db.runs().sources());
                assertEquals(List.of(), db.runs().unified(dev.pipescope.domain.RunFilter.capped()));
                assertEquals(List.of(), db.dags().dagIds());
                var noHistory = assertThrows(LayoutNotPresentException.class,
                        () -> db.runs().list(dev.pipescope.domain.RunQuery.all()));
                assertTrue(noHistory.getMessage().contains(target.database()), noHistory.getMessage());
                assertThrows(LayoutNotPresentException.class, db::addRunHistory);
                assertThrows(LayoutNotPresentException.class, db::pipelines);
            }
        }
        assertEquals(List.of("artifacts", "execution_state", "execution_trees", "snapshots"), tables(target));
    }

    @Test
    void otherToolsAbsentSaySo() {
        try (var db = Pipescope.open(PostgresServer.get().newDatabase("open_tools"))) {
            // Hyperpage's and etl-core's tables are read on PostgreSQL (HyperpagePostgresTest, EtlPostgresTest):
            // Pipescope's own database has none
            var hyperpage = assertThrows(LayoutNotPresentException.class, db::hyperpage);
            assertTrue(hyperpage.getMessage().contains("holds no Hyperpage"), hyperpage.getMessage());
            var etl = assertThrows(LayoutNotPresentException.class, db::etl);
            assertTrue(etl.getMessage().contains("holds no Python ETL"), etl.getMessage());
            assertFalse(db.toString().contains(PostgresServer.get().password().map(Secret::reveal).orElseThrow()));
        }
    }

    // ---- bad targets: a typed error naming host and database, never the password ------------------------

    private static void assertNamesTheServerNotThePassword(PipescopeException e, ServerTarget target) {
        var message = e.getMessage();
        assertTrue(message.contains(target.host()) && message.contains(target.database()), message);
        target.password().ifPresent(p -> assertFalse(message.contains(p.reveal()), message));
        for (var t = (Throwable) e; t != null; t = t.getCause()) {
            var text = String.valueOf(t.getMessage());
            target.password().ifPresent(p -> assertFalse(text.contains(p.reveal()), "a cause: " + text));
        }
    }

    @Test
    void anUnreachableServerIsATypedErrorNamingHostAndDatabase() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var admin = PostgresServer.get().admin();
        var target = new ServerTarget("127.0.0.1", closedPort, "fleet", List.of(), admin.user(), admin.password(),
                2, 2_000, 0);
        var e = assertThrows(ServerUnreachableException.class, () -> Pipescope.open(target));
        assertTrue(e.getMessage().contains("127.0.0.1:" + closedPort), e.getMessage());
        assertNamesTheServerNotThePassword(e, target);
    }

    @Test
    void aWrongPasswordIsATypedErrorThatNeverShowsIt() {
        var target = PostgresServer.get().newDatabase("open_badpw")
                .withCredentials(Optional.of("postgres"), Optional.of(Secret.of("not-the-password-4711")));
        var e = assertThrows(AuthenticationFailedException.class, () -> Pipescope.open(target));
        assertTrue(e.getMessage().contains("'postgres'"), e.getMessage());
        assertNamesTheServerNotThePassword(e, target);
        assertFalse(e.toString().contains("4711"));
    }

    @Test
    void aMissingDatabaseIsATypedErrorNamingIt() {
        var admin = PostgresServer.get().admin();
        var target = new ServerTarget(admin.host(), admin.port(), "no_such_fleet_db", List.of(), admin.user(),
                admin.password(), 2, 5_000, 0);
        var e = assertThrows(NotFoundException.class, () -> Pipescope.openReadOnly(target));
        assertTrue(e.getMessage().contains("'no_such_fleet_db' does not exist"), e.getMessage());
        assertNamesTheServerNotThePassword(e, target);
    }
}
