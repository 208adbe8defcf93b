package dev.pipescope.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pipescope.ConnectionSettings;
import dev.pipescope.Secret;
import dev.pipescope.ServerTarget;
import dev.pipescope.engine.Dialect;
import dev.pipescope.engine.EngineConnections;
import dev.pipescope.error.DatabaseBusyException;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.error.ReadOnlyViolationException;
import dev.pipescope.error.StorageException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The connections of one database on a PostgreSQL server: a HikariCP pool of {@link ServerTarget#poolSize()}
 * connections, each piece of work on a Jdbi handle borrowed for it.
 *
 * <ul>
 *   <li>A read is one REPEATABLE READ, READ ONLY transaction: every statement in it sees one snapshot, and the
 *       server refuses any write in it.</li>
 *   <li>A write is one SERIALIZABLE transaction: concurrent writers behave as if one ran after the other, as on
 *       SQLite, so the rules above need no second form; a serialization failure or deadlock retries the whole
 *       transaction up to {@value #CONFLICT_RETRIES} more times before a {@link DatabaseBusyException}.</li>
 *   <li>Opened read-only, every pooled connection starts with {@code default_transaction_read_only=on} (a
 *       connection option), so even SQL run outside Pipescope's transactions is refused by the server; and
 *       {@link #write} fails with {@link ReadOnlyViolationException} before touching it.</li>
 *   <li>Work on the same thread joins the transaction it runs inside (a read inside a write sees the write).</li>
 * </ul>
 *
 * <pre>{@code
 * try (var connections = PostgresConnections.open(ServerTarget.parse("postgresql://me@db/fleet"),
 *         ConnectionSettings.readOnlyDefaults())) {
 *     long runs = connections.read("count runs",
 *             h -> h.createQuery("SELECT count(*) FROM pipeline_runs").mapTo(Long.class).one());
 * }
 * }</pre>
 */
public final class PostgresConnections implements EngineConnections, AutoCloseable {
    static final int CONFLICT_RETRIES = 4;

    private final ServerTarget target;
    private final ConnectionSettings settings;
    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final PostgresErrors errors;
    /** The handle of the transaction this thread runs inside, and whether it writes. */
    private final ThreadLocal<Session> current = new ThreadLocal<>();
    private volatile boolean closed;

    private record Session(Handle handle, boolean writes) {}

    private PostgresConnections(ServerTarget target, ConnectionSettings settings, HikariDataSource pool,
                                PostgresErrors errors) {
        this.target = target;
        this.settings = settings;
        this.pool = pool;
        this.errors = errors;
        this.jdbi = Jdbi.create(pool);
    }

    /**
     * Starts the pool (one connection at once, so a bad target fails here) and checks the server's version.
     *
     * @throws dev.pipescope.error.ServerUnreachableException when nothing answers at the host and port
     * @throws dev.pipescope.error.AuthenticationFailedException when the server refuses the role or password
     * @throws dev.pipescope.error.NotFoundException when the database does not exist
     * @throws dev.pipescope.error.UnsupportedServerException for a server before PostgreSQL 12
     */
    public static PostgresConnections open(ServerTarget target, ConnectionSettings settings) {
        var errors = new PostgresErrors(target);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config(target, settings));
        } catch (RuntimeException e) {
            throw errors.translate(e, "connect");
        }
        var connections = new PostgresConnections(target, settings, pool, errors);
        try {
            try (var connection = pool.getConnection()) {
                PostgresSchema.requireSupported(PostgresSchema.serverVersion(connection), target.location());
            }
        } catch (SQLException | RuntimeException e) {
            var failure = errors.translate(e, "read the server version");
            pool.close();
            throw failure;
        }
        return connections;
    }

    private static HikariConfig config(ServerTarget target, ConnectionSettings settings) {
        var config = new HikariConfig();
        var options = new StringBuilder();
        var parameters = new ArrayList<String>();
        for (var parameter : target.parameters()) {
            // the target's own server options are kept, and ours added after them, so a URL's options= can
            // never take away the read-only guard
            if (parameter.startsWith("options=")) {
                options.append(URLDecoder.decode(parameter.substring("options=".length()), StandardCharsets.UTF_8))
                        .append(' ');
            } else {
                parameters.add(parameter);
            }
        }
        if (settings.readOnly()) {
            options.append("-c default_transaction_read_only=on ");
        }
        if (target.statementTimeoutMs() > 0) {
            options.append("-c statement_timeout=").append(target.statementTimeoutMs()).append(' ');
        }
        config.setJdbcUrl("jdbc:postgresql://" + target.host() + ":" + target.port() + "/" + target.database()
                + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters)));
        target.user().ifPresent(config::setUsername);
        target.password().map(Secret::reveal).ifPresent(config::setPassword);
        if (!options.isEmpty()) {
            config.addDataSourceProperty("options", options.toString().strip());
        }
        config.addDataSourceProperty("ApplicationName", "pipescope");
        // the driver's own connect timeout is in whole seconds; at least one
        config.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, (target.connectTimeoutMs() + 999) / 1000)));
        // JDBC batches (saveAll, recordAll) as multi-row INSERTs: one statement per batch, not per row
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.setReadOnly(settings.readOnly());
        config.setMaximumPoolSize(target.poolSize());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(Math.max(250, target.connectTimeoutMs()));
        config.setInitializationFailTimeout(1);
        config.setPoolName("pipescope " + target.location());
        config.setRegisterMbeans(false);
        return config;
    }

    /** The server database, as error messages name it. */
    public ServerTarget target() {
        return target;
    }

    /** The settings these connections were opened with. */
    public ConnectionSettings settings() {
        return settings;
    }

    /** The pool, for Flyway (which takes and returns its own connections). */
    public DataSource dataSource() {
        return pool;
    }

    @Override
    public String location() {
        return target.location();
    }

    @Override
    public boolean readOnly() {
        return settings.readOnly();
    }

    @Override
    public Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    /** Runs {@code work} in a read-only REPEATABLE READ transaction, or inside the one this thread runs. */
    @Override
    public <T> T read(String what, Function<Handle, T> work) {
        var joined = current.get();
        if (joined != null) {
            return joined(joined, what, work);
        }
        return transaction(what, work, false);
    }

    /** A single statement outside a transaction (the statement is its own snapshot), or inside this thread's. */
    @Override
    public <T> T query(String what, Function<Handle, T> work) {
        var joined = current.get();
        if (joined != null) {
            return joined(joined, what, work);
        }
        ensureOpen();
        var handle = borrow(what);
        try {
            return work.apply(handle);
        } catch (PipescopeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw errors.translate(e, what);
        } finally {
            giveBack(handle, what);
        }
    }

    /**
     * Runs {@code work} in a SERIALIZABLE transaction, retried as a whole on a conflict with another writer.
     *
     * @throws ReadOnlyViolationException at once, before touching the server, when opened read-only
     */
    @Override
    public <T> T write(String what, Function<Handle, T> work) {
        if (settings.readOnly()) {
            throw new ReadOnlyViolationException("database " + location() + " was opened read-only: refused to " + what);
        }
        var joined = current.get();
        if (joined != null && joined.writes()) {
            return joined(joined, what, work);
        }
        // a write from inside a read runs on a connection of its own, as SQLite's writer does
        return transaction(what, work, true);
    }

    /** Runs {@code work} on the JDBC connection of a read (one REPEATABLE READ, READ ONLY snapshot). */
    @Override
    public <T> T readConnection(String what, SqlFunction<Connection, T> work) {
        return read(what, handle -> {
            try {
                return work.apply(handle.getConnection());
            } catch (SQLException e) {
                throw errors.translate(e, what);
            }
        });
    }

    @Override
    public <T> T withWriterConnection(String what, SqlFunction<Connection, T> work) {
        if (settings.readOnly()) {
            throw new ReadOnlyViolationException("database " + location() + " was opened read-only: refused to " + what);
        }
        ensureOpen();
        try (var connection = pool.getConnection()) {
            return work.apply(connection);
        } catch (SQLException | RuntimeException e) {
            throw errors.translate(e, what);
        }
    }

    /** A statement closed when the work that asked for it returns (pgjdbc reuses the server-side statement). */
    @Override
    public PreparedStatement prepared(Handle handle, String sql) throws SQLException {
        var statement = handle.getConnection().prepareStatement(sql);
        handle.addCleanable(statement::close);
        return statement;
    }

    @Override
    public PipescopeException translate(Throwable error, String what) {
        return errors.translate(error, what);
    }

    @Override
    public boolean isConstraint(Throwable error) {
        return errors.isConstraint(error);
    }

    @Override
    public String messageOf(Throwable error) {
        return errors.messageOf(error);
    }

    private <T> T joined(Session session, String what, Function<Handle, T> work) {
        try {
            return work.apply(session.handle());
        } catch (PipescopeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw errors.translate(e, what);
        }
    }

    private <T> T transaction(String what, Function<Handle, T> work, boolean writes) {
        ensureOpen();
        for (int attempt = 0; ; attempt++) {
            try {
                return once(what, work, writes);
            } catch (DatabaseBusyException e) {
                if (attempt >= CONFLICT_RETRIES || !PostgresErrors.isRetryable(e)) {
                    throw e;
                }
                backOff(attempt, e);
            }
        }
    }

    private <T> T once(String what, Function<Handle, T> work, boolean writes) {
        var handle = borrow(what);
        var previous = current.get();
        current.set(new Session(handle, writes));
        PipescopeException failure = null;
        try {
            handle.begin();
            try (var statement = handle.getConnection().createStatement()) {
                statement.execute(writes ? PostgresSql.BEGIN_WRITE : PostgresSql.BEGIN_READ);
            }
            var result = work.apply(handle);
            handle.commit();
            return result;
        } catch (PipescopeException e) {
            failure = e;
        } catch (SQLException | RuntimeException e) {
            failure = errors.translate(e, what);
        } finally {
            if (previous == null) {
                current.remove();
            } else {
                current.set(previous);
            }
            if (failure != null) {
                rollBack(handle, failure);
            }
            giveBack(handle, what, failure);
        }
        throw failure;
    }

    private Handle borrow(String what) {
        try {
            return jdbi.open();
        } catch (RuntimeException e) {
            throw errors.translate(e, "open a connection to " + what);
        }
    }

    private void rollBack(Handle handle, PipescopeException failure) {
        try {
            if (handle.isInTransaction()) {
                handle.rollback();
            }
        } catch (RuntimeException e) {
            // the connection is likely gone; the pool discards it when closed below
            failure.addSuppressed(e);
        }
    }

    private void giveBack(Handle handle, String what) {
        try {
            handle.close();
        } catch (RuntimeException e) {
            throw errors.translate(e, what);
        }
    }

    /** Closes the handle; a failure to close joins the work's failure, or becomes the failure. */
    private void giveBack(Handle handle, String what, PipescopeException failure) {
        try {
            handle.close();
        } catch (RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            } else {
                throw errors.translate(e, what);
            }
        }
    }

    private static void backOff(int attempt, PipescopeException cause) {
        try {
            Thread.sleep(10L << (2 * attempt));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw cause;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StorageException("database " + location() + " is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pool.close();
    }
}
