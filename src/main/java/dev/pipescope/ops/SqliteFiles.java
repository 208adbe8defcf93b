package dev.pipescope.ops;

import dev.pipescope.domain.Layout;
import dev.pipescope.sqlite.Migrations;
import dev.pipescope.sqlite.SchemaInspector;
import dev.pipescope.store.Sources;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/** Connections and reads that backup, verify, restore and health share. */
final class SqliteFiles {
    private static final int HASH_BUFFER = 1 << 20;

    private SqliteFiles() {}

    /** A read-only connection that never writes (it still takes SQLite's shared locks, so writers stay safe). */
    static Connection readOnly(Path file, int busyTimeoutMs) throws SQLException {
        var config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(busyTimeoutMs);
        var connection = config.createConnection("jdbc:sqlite:" + file);
        queryOnly(connection);
        return connection;
    }

    /**
     * A connection to a file nothing else may be writing (a backup): {@code immutable=1} makes SQLite read
     * it as it is, without locks and without creating {@code -wal}/{@code -shm} files beside it.
     */
    static Connection immutable(Path file) throws SQLException {
        var config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setOpenMode(org.sqlite.SQLiteOpenMode.OPEN_URI);
        var connection = config.createConnection("jdbc:sqlite:" + file.toUri() + "?immutable=1");
        queryOnly(connection);
        return connection;
    }

    /** A plain read-write connection (rollback journal unless the file says WAL). */
    static Connection readWrite(Path file, int busyTimeoutMs) throws SQLException {
        var config = new SQLiteConfig();
        config.setBusyTimeout(busyTimeoutMs);
        return config.createConnection("jdbc:sqlite:" + file);
    }

    /**
     * A connection that writes a new file with no journal and no syncs: for a backup's hidden partial file,
     * which is worthless until it has been synced and renamed anyway.
     */
    static Connection scratch(Path file) throws SQLException {
        var config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.OFF);
        config.setSynchronous(SQLiteConfig.SynchronousMode.OFF);
        return config.createConnection("jdbc:sqlite:" + file);
    }

    private static void queryOnly(Connection connection) throws SQLException {
        // a PRAGMA with a side effect cannot be a prepared catalog query
        try (var st = connection.createStatement()) {
            st.execute("PRAGMA query_only = 1");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    /** Every row of a one-column query, as text. */
    static List<String> column(Connection connection, String sql) throws SQLException {
        var values = new ArrayList<String>();
        try (var ps = connection.prepareStatement(sql); var rs = ps.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    static long number(Connection connection, String sql) throws SQLException {
        try (var ps = connection.prepareStatement(sql); var rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("no row from " + sql.strip());
            }
            return rs.getLong(1);
        }
    }

    /** Rows per table of the file's own tables. */
    static Map<String, Long> rowCounts(Connection connection) throws SQLException {
        var counts = new LinkedHashMap<String, Long>();
        for (var table : column(connection, OpsSql.TABLE_NAMES)) {
            // a table name cannot be a bound parameter; it comes from sqlite_master and is quoted
            counts.put(table, number(connection, "SELECT count(*) FROM \"" + table.replace("\"", "\"\"") + "\""));
        }
        return counts;
    }

    /** What schema a file holds: its layouts and, for a Pipescope file, the newest applied migration. */
    record Schema(Set<Layout> layouts, Optional<Integer> version, Set<String> tables) {}

    static Schema schema(Connection connection) throws SQLException {
        var tables = SchemaInspector.tables(connection);
        var layouts = Sources.layouts(tables);
        Optional<Integer> version = Optional.empty();
        if (layouts.contains(Layout.PIPESCOPE)) {
            var applied = Migrations.appliedVersions(connection);
            version = applied.isEmpty() ? Optional.empty() : Optional.of(applied.get(applied.size() - 1));
        }
        return new Schema(layouts, version, tables.keySet());
    }

    /** SHA-256 of a file, reporting bytes read as {@code phase}. */
    static String sha256(Path file, Progress progress, String phase) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
        try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long total = channel.size();
            long done = 0;
            var buffer = ByteBuffer.allocateDirect(HASH_BUFFER);
            progress.report(phase, 0, total);
            while (channel.read(buffer) > 0) {
                buffer.flip();
                done += buffer.remaining();
                digest.update(buffer);
                buffer.clear();
                progress.report(phase, done, total);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Copies {@code from} to {@code to} (created new), syncs it, and returns the SHA-256 of what was written. */
    static String copyAndHash(Path from, Path to, Progress progress, String phase) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
        try (var in = FileChannel.open(from, StandardOpenOption.READ);
             var out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long total = in.size();
            long done = 0;
            var buffer = ByteBuffer.allocateDirect(HASH_BUFFER);
            progress.report(phase, 0, total);
            while (in.read(buffer) > 0) {
                buffer.flip();
                digest.update(buffer.duplicate());
                while (buffer.hasRemaining()) {
                    done += out.write(buffer);
                }
                buffer.clear();
                progress.report(phase, done, total);
            }
            out.force(true);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static long sizeOrZero(Path file) throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }

    static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }
}
