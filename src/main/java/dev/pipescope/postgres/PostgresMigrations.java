package dev.pipescope.postgres;

import dev.pipescope.engine.MigrationScripts;
import dev.pipescope.error.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Flyway over the PostgreSQL scripts in {@code migrations/postgresql/} (shipped in the jar as
 * {@code db/migration/postgresql}): the same versions, tables and columns as SQLite's, in PostgreSQL's types.
 * Only an empty database or Pipescope's own is migrated, so there is no baseline: Flyway's history starts at V1.
 * Flyway holds an advisory lock while it migrates, so two processes opening the same new database do not race.
 */
public final class PostgresMigrations {
    /** Where the PostgreSQL scripts are on the class path. */
    public static final String LOCATION = "db/migration/postgresql";

    private PostgresMigrations() {}

    /** Listed once, on first use: what the jar ships cannot change while it runs. */
    private static final class Shipped {
        static final List<Integer> VERSIONS = MigrationScripts.versions(LOCATION);
    }

    /** The versions this build ships for PostgreSQL, ascending. */
    public static List<Integer> knownVersions() {
        return Shipped.VERSIONS;
    }

    /** The newest version this build ships for PostgreSQL. */
    public static int latestVersion() {
        var versions = knownVersions();
        return versions.isEmpty() ? 0 : versions.get(versions.size() - 1);
    }

    /** Versions recorded in the database's Flyway history (successful ones), ascending. */
    public static List<Integer> appliedVersions(Connection connection) throws SQLException {
        try (var st = connection.createStatement(); var rs = st.executeQuery(PostgresSql.APPLIED_MIGRATIONS)) {
            return MigrationScripts.applied(rs, "the database");
        }
    }

    /**
     * Applies the pending migrations through Flyway.
     *
     * @param location how the error names the database ({@code postgresql://user@host:port/db}, no password)
     * @throws StorageException when a migration fails (Flyway rolls that migration back)
     */
    public static void migrate(DataSource dataSource, String location) {
        try {
            Flyway.configure(PostgresMigrations.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:" + LOCATION)
                    .loggers("slf4j")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StorageException("migrating " + location + " failed: " + e.getMessage(), e);
        }
    }
}
