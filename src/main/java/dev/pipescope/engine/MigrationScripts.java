package dev.pipescope.engine;

import dev.pipescope.error.StorageException;
import dev.pipescope.error.UnknownSchemaException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Flyway scripts one engine's folder ships ({@code migrations/sqlite/}, {@code migrations/postgresql/},
 * packaged as {@code db/migration/<engine>}), read from the class path whether it is a directory or the jar.
 */
public final class MigrationScripts {
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.+\\.sql");

    private MigrationScripts() {}

    /**
     * The versions of the {@code V<n>__*.sql} scripts at {@code location} on the class path, ascending.
     *
     * @throws StorageException when the folder is missing or cannot be listed
     */
    public static List<Integer> versions(String location) {
        var url = MigrationScripts.class.getClassLoader().getResource(location);
        if (url == null) {
            throw new StorageException("migrations missing from the classpath: no " + location);
        }
        var versions = new ArrayList<Integer>();
        try {
            var uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                }
                collect(fs.getPath(location), versions);
            } else {
                collect(Path.of(uri), versions);
            }
        } catch (IOException | URISyntaxException e) {
            throw new StorageException("cannot list migrations at " + url + ": " + e.getMessage(), e);
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

    private static void collect(Path dir, List<Integer> versions) throws IOException {
        try (var files = Files.list(dir)) {
            files.forEach(f -> {
                var m = VERSIONED.matcher(f.getFileName().toString());
                if (m.matches()) {
                    versions.add(Integer.parseInt(m.group(1)));
                }
            });
        }
    }
}
