package dev.pipescope.sqlite;

import dev.pipescope.error.StorageException;
import dev.pipescope.error.UnknownSchemaException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Flyway over the SQL in {@code migrations/} (shipped in the jar as {@code db/migration}).
 *
 * <p>Every migration is written to be safe on a file another tool created ({@code IF NOT EXISTS}),
 * so adopting such a file is a Flyway baseline at version 0 followed by the usual migrate: only
 * additive changes, and the upstream tool can still open the file.
 */
public final class Migrations {
    static final String LOCATION = "db/migration";
    /** The names of the migrations in {@link #LOCATION}, one a line (written by the build, see pom.xml). */
    static final String INDEX = "db/migration.index";
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.+\\.sql");

    private Migrations() {}

    /** The versions this build ships, ascending. */
    public static List<Integer> knownVersions() {
        return Shipped.VERSIONS;
    }

    /** Listed once, on first use: what the jar ships cannot change while it runs, and every open asks. */
    private static final class Shipped {
        static final List<Integer> VERSIONS = List.copyOf(scan());
    }

    /**
     * Reads {@value #INDEX}, which the build writes from {@code migrations/}: listing the folder inside the
     * shaded jar would mean opening its 30,000 entries as a file system on every start.
     */
    private static List<Integer> scan() {
        var versions = new ArrayList<Integer>();
        try (var in = Migrations.class.getClassLoader().getResourceAsStream(INDEX)) {
            if (in == null) {
                throw new StorageException("migrations index missing from the classpath: no " + INDEX
                        + " (the build writes it from migrations/: mvn process-resources)");
            }
            for (var name : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                var m = VERSIONED.matcher(name.strip());
                if (m.matches()) {
                    versions.add(Integer.parseInt(m.group(1)));
                } else if (!name.isBlank()) {
                    throw new StorageException(INDEX + " names '" + name.strip() + "', which is not a migration"
                            + " (V<version>__<description>.sql)");
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot read " + INDEX + ": " + e.getMessage(), e);
        }
        if (versions.isEmpty()) {
            throw new StorageException(INDEX + " names no migration");
        }
        versions.sort(Integer::compare);
        return versions;
    }

    /** The newest version this build ships. */
    public static int latestVersion() {
        var versions = knownVersions();
        return versions.isEmpty() ? 0 : versions.get(versions.size() - 1);
    }

    /** Versions recorded in the file's Flyway history (successful ones), ascending; empty if it has none. */
    public static List<Integer> appliedVersions(Connection connection) throws SQLException {
        var versions = new ArrayList<Integer>();
        try (var st = connection.createStatement();
             var rs = st.executeQuery(SchemaSql.APPLIED_MIGRATIONS)) {
            while (rs.next()) {
                var version = rs.getString(1);
                if (!rs.getBoolean(2)) {
                    throw new UnknownSchemaException("flyway_schema_history records a failed migration, version "
                            + version + "; repair it before opening the file read-write");
                }
                try {
                    versions.add(Integer.parseInt(version));
                } catch (NumberFormatException e) {
                    throw new UnknownSchemaException("flyway_schema_history has version '" + version
                            + "', which no Pipescope build writes", e);
                }
            }
        }
        versions.sort(Integer::compare);
        return versions;
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
