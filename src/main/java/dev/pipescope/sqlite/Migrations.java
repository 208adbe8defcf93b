package dev.pipescope.sqlite;

import dev.pipescope.engine.MigrationScripts;
import dev.pipescope.error.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Flyway over the SQLite scripts in {@code migrations/sqlite/} (shipped in the jar as {@code db/migration/sqlite}).
 *
 * <p>Every migration is written to be safe on a file another tool created ({@code IF NOT EXISTS}),
 * so adopting such a file is a Flyway baseline at version 0 followed by the usual migrate: only
 * additive changes, and the upstream tool can still open the file.
 */
public final class Migrations {
    /** Where the SQLite scripts are on the class path ({@code migrations/sqlite/} in the source tree). */
    public static final String LOCATION = "db/migration/sqlite";

    private Migrations() {}

    /** The versions this build ships, ascending. */
    public static List<Integer> knownVersions() {
        return Shipped.VERSIONS;
    }

    /** Listed once, on first use: what the jar ships cannot change while it runs, and every open asks. */
    private static final class Shipped {
        static final List<Integer> VERSIONS = MigrationScripts.versions(LOCATION);
    }

    /** The newest version this build ships. */
    public static int latestVersion() {
        var versions = knownVersions();
        return versions.isEmpty() ? 0 : versions.get(versions.size() - 1);
    }

    /** Versions recorded in the file's Flyway history (successful ones), ascending; empty if it has none. */
    public static List<Integer> appliedVersions(Connection connection) throws SQLException {
        try (var st = connection.createStatement();
             var rs = st.executeQuery(SchemaSql.APPLIED_MIGRATIONS)) {
            return MigrationScripts.applied(rs, "the file");
        }
    }

    /** The migration that creates Pipescope's run history ({@code pipeline_runs}). */
    public static final int RUN_HISTORY_VERSION = 3;

    /**
     * Gives another tool's file what recording runs needs, and nothing else: Flyway's history, with the
     * migrations before {@link #RUN_HISTORY_VERSION} marked as a baseline (their tables are the tool's own
     * or another tool's, which this file must not gain), then the run-history migration.
     */
    public static void adoptForRunHistory(DataSource dataSource, String file) {
        try {
            Flyway.configure(Migrations.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:" + LOCATION)
                    .baselineOnMigrate(true)
                    .baselineVersion(String.valueOf(RUN_HISTORY_VERSION - 1))
                    .baselineDescription("adopted by Pipescope for its run history")
                    .target(String.valueOf(RUN_HISTORY_VERSION))
                    .loggers("slf4j")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StorageException("adding Pipescope's run history to " + file + " failed: " + e.getMessage(), e);
        }
    }

    /** Applies pending migrations through Flyway. */
    public static void migrate(DataSource dataSource, String file) {
        try {
            Flyway.configure(Migrations.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:" + LOCATION)
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .baselineDescription("adopted by Pipescope")
                    .loggers("slf4j")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StorageException("migrating " + file + " failed: " + e.getMessage(), e);
        }
    }
}
