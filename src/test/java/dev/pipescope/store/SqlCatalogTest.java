package dev.pipescope.store;

import dev.pipescope.engine.NamedParameters;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.TreeSet;
import java.util.stream.Collectors;
import dev.pipescope.domain.Layout;
import dev.pipescope.ConnectionSettings;
import dev.pipescope.engine.Dialect;
import dev.pipescope.testing.Fixtures;
import dev.pipescope.testing.PostgresServer;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Prepares every SQL statement in the code against a freshly migrated database of each engine. */
class SqlCatalogTest {

    @Test
    void everySqliteStatementPreparesOnAFreshlyMigratedDatabase() {
        var statements = SqlCatalog.preparable(Dialect.SQLITE);
        assertFalse(statements.isEmpty());
        var failures = new ArrayList<String>();
        try (var db = SqliteDatabase.memory()) {
            db.connections().withWriterConnection("prepare catalog", connection -> {
                for (var entry : statements.entrySet()) {
                    try (var ps = connection.prepareStatement(NamedParameters.positional(entry.getValue()))) {
                        ps.getParameterMetaData();
                    } catch (SQLException e) {
                        failures.add(entry.getKey() + ": " + e.getMessage());
                    }
                }
                return null;
            });
        }
        if (!failures.isEmpty()) {
            fail("statements that do not prepare:\n" + String.join("\n", failures));
        }
    }

    /**
     * On PostgreSQL, preparing a statement is parsing and planning it on the server (pgjdbc's Parse and
     * Describe), so a table, column, function or type the server lacks fails here, as on SQLite.
     */
    @Test
    void everyPostgresqlStatementPreparesOnAFreshlyMigratedDatabase() {
        var statements = SqlCatalog.preparable(Dialect.POSTGRESQL);
        assertFalse(statements.isEmpty());
        var failures = new ArrayList<String>();
        try (var db = PostgresDatabase.open(PostgresServer.get().newDatabase("catalog"), ConnectionSettings.readWrite())) {
            db.connections().withWriterConnection("prepare catalog", connection -> {
                for (var entry : statements.entrySet()) {
                    try (var ps = connection.prepareStatement(NamedParameters.positional(entry.getValue()))) {
                        ps.getParameterMetaData();
                    } catch (SQLException e) {
                        failures.add(entry.getKey() + ": " + e.getMessage());
                    }
                }
                return null;
            });
        }
        if (!failures.isEmpty()) {
            fail("statements that do not prepare on PostgreSQL:\n" + String.join("\n", failures));
        }
    }

    /** Statements on other tools' tables prepare on a copy of that tool's fixture (our migrations do not create them). */
    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"HYPERPAGE", "ETL", "DAGGER"})
    void otherToolsStatementsPrepareOnTheirFixtures(Layout layout, @TempDir Path dir) throws SQLException {
        var fixture = switch (layout) {
            case HYPERPAGE -> "hyperpage.db";
            case ETL -> "real/etl_core.db"; // written by etl-core itself: every table its SQL reads
            case DAGGER -> "dagger_cache.db";
            default -> throw new IllegalArgumentException(layout.name());
        };
        var statements = SqlCatalog.preparable(layout);
        assertFalse(statements.isEmpty(), "no statements registered for " + layout);
        var failures = new ArrayList<String>();
        var copy = Fixtures.copy(fixture, dir);
        try (var connection = DriverManager.getConnection("jdbc:sqlite:" + copy)) {
            for (var entry : statements.entrySet()) {
                try (var ps = connection.prepareStatement(NamedParameters.positional(entry.getValue()))) {
                    ps.getParameterMetaData();
                } catch (SQLException e) {
                    failures.add(entry.getKey() + ": " + e.getMessage());
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(layout + " statements that do not prepare:\n" + String.join("\n", failures));
        }
    }

    /**
     * Statements on other tools' PostgreSQL tables prepare on a database made by the restatement of that tool's
     * schema (Hyperpage's drizzle migration, etl-core's SQLAlchemy tables).
     */
    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"HYPERPAGE", "ETL"})
    void otherToolsPostgresqlStatementsPrepareOnTheirSchema(Layout layout) throws SQLException {
        var statements = SqlCatalog.preparableOnPostgresql(layout);
        assertFalse(statements.isEmpty(), "no PostgreSQL statements registered for " + layout);
        var script = layout == Layout.HYPERPAGE ? "fixtures/hyperpage_postgres.sql" : "fixtures/etl_postgres.sql";
        var target = Fixtures.postgresFromScript(script, layout.name().toLowerCase() + "_catalog");
        var failures = new ArrayList<String>();
        try (var connection = DriverManager.getConnection(target.jdbcUrl(), target.user().orElse(null),
                target.password().map(dev.pipescope.Secret::reveal).orElse(null))) {
            for (var entry : statements.entrySet()) {
                try (var ps = connection.prepareStatement(NamedParameters.positional(entry.getValue()))) {
                    ps.getParameterMetaData();
                } catch (SQLException e) {
                    failures.add(entry.getKey() + ": " + e.getMessage());
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(layout + " PostgreSQL statements that do not prepare:\n" + String.join("\n", failures));
        }
    }

    @Test
    void everySqlClassInTheSourceTreeIsRegistered() throws IOException {
        var source = Path.of("src/main/java/dev/pipescope");
        var found = new TreeSet<String>();
        try (var files = Files.walk(source)) {
            files.filter(f -> f.getFileName().toString().endsWith("Sql.java")).forEach(f -> {
                var relative = source.getParent().getParent().relativize(f).toString();
                found.add(relative.replace('/', '.').replaceAll("\\.java$", ""));
            });
        }
        assertEquals(found, new TreeSet<>(SqlCatalog.classNames()),
                "every *Sql class must be listed in SqlCatalog.CLASSES");
    }
}
