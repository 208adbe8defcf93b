package dev.pipescope.engine;

import dev.pipescope.error.StorageException;
import dev.pipescope.error.UnknownSchemaException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Flyway scripts one engine's folder ships ({@code migrations/sqlite/}, {@code migrations/postgresql/},
 * packaged as {@code db/migration/<engine>}), read from the class path whether it is a directory or the jar.
 */
public final class MigrationScripts {
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.+\\.sql");

    private MigrationScripts() {}

    /**
     * The versions of the {@code V<n>__*.sql} scripts at {@code location} on the class path, ascending, read from
     * {@code <location>.index}, which the build writes from the engine's folder (see pom.xml): listing the folder
     * inside the shaded jar would open its 30,000 entries as a file system on every start.
     *
     * @throws StorageException when the index is missing, unreadable or names something that is not a migration
     */
    public static List<Integer> versions(String location) {
        var index = location + ".index";
        var versions = new ArrayList<Integer>();
        try (var in = MigrationScripts.class.getClassLoader().getResourceAsStream(index)) {
            if (in == null) {
                throw new StorageException("migrations index missing from the classpath: no " + index
                        + " (the build writes it from migrations/: mvn process-resources)");
            }
            for (var name : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                var m = VERSIONED.matcher(name.strip());
                if (m.matches()) {
                    versions.add(Integer.parseInt(m.group(1)));
                } else if (!name.isBlank()) {
                    throw new StorageException(index + " names '" + name.strip() + "', which is not a migration"
                            + " (V<version>__<description>.sql)");
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot read " + index + ": " + e.getMessage(), e);
        }
        if (versions.isEmpty()) {
            throw new StorageException(index + " names no migration");
        }
        versions.sort(Integer::compare);
        return List.copyOf(versions);
    }

    /**
     * The versions of a Flyway history read as {@code version, success} rows, ascending.
     *
     * @param database how the messages name the database ("the file", "the database")
     * @throws UnknownSchemaException for a failed migration, or a version no Pipescope build writes
     */
    public static List<Integer> applied(ResultSet rows, String database) throws SQLException {
        var versions = new ArrayList<Integer>();
        while (rows.next()) {
            var version = rows.getString(1);
            if (!rows.getBoolean(2)) {
                throw new UnknownSchemaException("flyway_schema_history records a failed migration, version "
                        + version + "; repair it before opening " + database + " read-write");
            }
            try {
                versions.add(Integer.parseInt(version));
            } catch (NumberFormatException e) {
                throw new UnknownSchemaException("flyway_schema_history has version '" + version
                        + "', which no Pipescope build writes", e);
            }
        }
        versions.sort(Integer::compare);
        return versions;
    }
}
