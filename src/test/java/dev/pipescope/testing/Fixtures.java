package dev.pipescope.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The shared fixture databases (read-only inputs) and helpers to use them safely in tests. */
public final class Fixtures {
    private Fixtures() {}

    /** The fixtures folder: system property {@code pipescope.fixtures}, else {@code ../shared/fixtures}. */
    public static Path dir() {
        var configured = System.getProperty("pipescope.fixtures");
        var dir = configured != null ? Path.of(configured) : Path.of("..", "shared", "fixtures");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("fixtures not found at " + dir.toAbsolutePath()
                    + " (set -Dpipescope.fixtures=...)");
        }
        return dir.toAbsolutePath().normalize();
    }

    /** The path of one fixture, e.g. {@code adaptive_pipeline.db}. Never write to it. */
    public static Path file(String name) {
        var file = dir().resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no fixture " + file);
        }
        return file;
    }

    /** A writable copy of a fixture in {@code dir} (by its file name: {@code real/etl_core.db} becomes {@code etl_core.db}). */
    public static Path copy(String name, Path dir) {
        try {
            return Files.copy(file(name), dir.resolve(Path.of(name).getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A SQLite file {@code dir/name} made by running the SQL script {@code resource} (on the test class
     * path, e.g. {@code fixtures/hyperpage_jobs.sql}) with plain JDBC, as the upstream tool's code would
     * have left it.
     */
    public static Path fromScript(String resource, Path dir, String name) {
        var file = dir.resolve(name);
        try (var in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + resource);
            }
            var script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                 var statement = c.createStatement()) {
                statement.executeUpdate(script); // sqlite-jdbc runs every statement of a plain Statement's text
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot run " + resource + " into " + file, e);
        }
        return file;
    }

    /**
     * A new database on the test server ({@link PostgresServer#newDatabase}) made by running the SQL script
     * {@code resource} (on the test class path, e.g. {@code fixtures/hyperpage_postgres.sql}) with plain JDBC, as
     * the upstream tool's own migrations and code would have left it.
     */
    public static dev.pipescope.ServerTarget postgresFromScript(String resource, String prefix) {
        var target = PostgresServer.get().newDatabase(prefix);
        try (var in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + resource);
            }
            var script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            try (var c = java.sql.DriverManager.getConnection(target.jdbcUrl(), target.user().orElse(null),
                    target.password().map(dev.pipescope.Secret::reveal).orElse(null));
                 var statement = c.createStatement()) {
                statement.execute(script); // pgjdbc sends every statement of a plain Statement's text, in order
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot run " + resource + " into " + target.location() + ": " + e.getMessage(), e);
        }
        return target;
    }

    /** Table and index definitions as SQLite keeps them ({@code sqlite_master.sql}), by name. */
    public static java.util.Map<String, String> schema(Path file) {
        var result = new java.util.TreeMap<String, String>();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             var rs = c.createStatement().executeQuery("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL")) {
            while (rs.next()) {
                result.put(rs.getString(1), rs.getString(2));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot read the schema of " + file, e);
        }
        return result;
    }

    /** SHA-256 of a file's bytes, to prove a file was left untouched. */
    public static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
