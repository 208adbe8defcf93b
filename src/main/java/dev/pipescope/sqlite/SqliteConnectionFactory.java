package dev.pipescope.sqlite;

import dev.pipescope.ConnectionSettings;
import dev.pipescope.sqlite.SchemaSql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * How Pipescope opens SQLite connections: the settings of {@link dev.pipescope.ConnectionSettings} as
 * sqlite-jdbc configuration (WAL only for Pipescope's own files, a read-only guard on readers).
 */
public final class SqliteConnectionFactory {
    private SqliteConnectionFactory() {}

    /** @param walMode whether the writer puts the file in WAL mode (Pipescope's own files only) */
    public static SQLiteConfig config(ConnectionSettings settings, boolean writer, boolean walMode) {
        var config = new SQLiteConfig();
        config.setBusyTimeout(settings.busyTimeoutMs());
        config.enforceForeignKeys(true);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        if (writer && !settings.readOnly()) {
            // readers keep SQLite's temporary files: in memory, big sorts ran as one slow in-memory sort
            config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        }
        config.setCacheSize(-(writer ? settings.writerCacheKib() : settings.readerCacheKib()));
        // sqlite-jdbc otherwise runs "SELECT last_insert_rowid()" after every update for getGeneratedKeys,
        // which nothing here uses (ids come from ULIDs, or from last_insert_rowid() asked explicitly)
        config.setGetGeneratedKeys(false);
        // sqlite-jdbc already serialises every call on a connection (its native methods are synchronized),
        // so SQLite's own per-connection mutex only adds a lock per call: without it a point lookup's
        // ~100 value reads ran 10-15% faster
        config.setOpenMode(org.sqlite.SQLiteOpenMode.NOMUTEX);
        if (settings.readOnly()) {
            config.setReadOnly(true);
        } else if (writer) {
            if (walMode) {
                config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            }
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        }
        return config;
    }

    /** @param immutable open with SQLite's {@code immutable=1}: no locks, no log (read-only media only) */
    public static Connection connect(Path path, ConnectionSettings settings, boolean writer, boolean walMode,
                              boolean immutable) throws SQLException {
        return connect(path, settings, writer, walMode, immutable, java.util.List.of());
    }

    /**
     * @param views {@code CREATE TEMP VIEW} statements run on the new connection before it becomes
     *              {@code query_only}: they read an older column set of a tool's tables (temporary objects
     *              live apart from the file, which they never touch)
     */
    public static Connection connect(Path path, ConnectionSettings settings, boolean writer, boolean walMode,
                                     boolean immutable, java.util.List<String> views) throws SQLException {
        var url = immutable ? "jdbc:sqlite:" + path.toUri() + "?immutable=1" : "jdbc:sqlite:" + path;
        var connection = config(settings, writer, walMode).createConnection(url);
        if (settings.readOnly() || !writer) {
            // readers never write, even by accident; read-only files doubly so
            try (var st = connection.createStatement()) {
                for (var view : views) {
                    st.execute(view);
                }
                st.execute(SchemaSql.QUERY_ONLY);
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
        }
        return connection;
    }

    public static SQLiteDataSource dataSource(Path path, ConnectionSettings settings) {
        var source = new SQLiteDataSource(config(settings, true, true));
        source.setUrl("jdbc:sqlite:" + path);
        return source;
    }
}
