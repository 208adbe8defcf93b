package dev.pipescope.sqlite;

import dev.pipescope.ConnectionSettings;
import dev.pipescope.engine.Dialect;
import dev.pipescope.engine.EngineConnections;

import dev.pipescope.error.DatabaseBusyException;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.error.ReadOnlyViolationException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The connections of one open database: one writer at a time (SQLite allows no more) and a small
 * pool of readers, each a long-lived Jdbi handle whose prepared statements are reused. Jdbi itself is
 * set up on the first handle: a one-shot read through {@link #readConnection} (what {@code pipescope info}
 * does) never needs it, and its configuration is a fifth of such a command's start.
 *
 * <p>Retry policy on a busy database: SQLite's busy timeout ({@link ConnectionSettings#busyTimeoutMs()})
 * waits for another process's lock first; if the lock is still held after that, the whole
 * transaction is retried {@value #BUSY_RETRIES} more times with a short back-off before the caller
 * gets a {@link DatabaseBusyException}. Write transactions start with {@code BEGIN IMMEDIATE}, so a
 * transaction never fails half-way for want of the write lock.
 */
public final class SqliteConnections implements EngineConnections, AutoCloseable {
    static final int BUSY_RETRIES = 2;

    /** A connection and its handle, used by one thread at a time. */
    record Session(Handle handle, CachingStatementBuilder statements) {
        void close() {
            handle.close();
        }
    }

    private final String file;
    private final ConnectionSettings settings;
    private final ConnectionFactory writerConnections;
    private final ConnectionFactory readerConnections;
    private Jdbi writerJdbi; // guarded by this; made on first use
    private Jdbi readerJdbi; // guarded by this; made on first use
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Session> idleReaders;
    private final List<Session> allSessions = new ArrayList<>();
    private final ThreadLocal<Session> current = new ThreadLocal<>();
    private final boolean singleConnection;
    private Session writer;
    private int readerCount;
    private volatile boolean closed;

    /**
     * @param writerConnections opens the writer's connection
     * @param readerConnections opens a reader's connection (read-only guarded)
     * @param singleConnection the database is one connection (SQLite's {@code :memory:}): every read and
     *                         write goes through the writer's
     */
    public SqliteConnections(String file, ConnectionSettings settings, ConnectionFactory writerConnections,
                             ConnectionFactory readerConnections, boolean singleConnection) {
        this.file = file;
        this.settings = settings;
        this.writerConnections = writerConnections;
        this.readerConnections = readerConnections;
        this.singleConnection = singleConnection;
        this.idleReaders = new ArrayBlockingQueue<>(Math.max(1, settings.maxReaders()));
    }

    /** The file these connections are to, as named in error messages. */
    public String file() {
        return file;
    }

    /** The settings these connections were opened with. */
    public ConnectionSettings settings() {
        return settings;
    }

    @Override
    public String location() {
        return file;
    }

    @Override
    public Dialect dialect() {
        return Dialect.SQLITE;
    }

    @Override
    public boolean readOnly() {
        return settings.readOnly();
    }

    /**
     * Runs {@code work} in a read transaction, so every query in it sees one consistent snapshot.
     * Inside a running {@link #write} on the same thread it joins that transaction instead.
     */
    @Override
    public <T> T read(String what, Function<Handle, T> work) {
        return reading(what, work, true);
    }

    /**
     * Runs a single-statement read without opening a transaction: one statement already sees one
     * consistent snapshot, and skipping BEGIN/COMMIT matters for point lookups. Work that runs more
     * than one statement and needs them to agree must use {@link #read}.
     */
    @Override
    public <T> T query(String what, Function<Handle, T> work) {
        return reading(what, work, false);
    }

    /**
     * Runs {@code work} on a plain JDBC connection in one read transaction (one consistent snapshot, like
     * {@link #read}), retried like {@link #read} when the database is busy. Inside a transaction of this
     * thread, or with a reader already open, it uses that connection; otherwise it opens a reader's
     * connection for this read alone and closes it after, so no Jdbi handle is made.
     */
    @Override
    public <T> T readConnection(String what, SqlFunction<Connection, T> work) {
        Function<Handle, T> onHandle = handle -> {
            try {
                return work.apply(handle.getConnection());
            } catch (SQLException e) {
                throw SqliteErrors.translate(e, file, what);
            }
        };
        boolean handleAtHand;
        synchronized (this) {
            handleAtHand = current.get() != null || singleConnection || readerCount > 0;
        }
        if (handleAtHand) {
            return reading(what, onHandle, true);
        }
        ensureOpen();
        for (int attempt = 0; ; attempt++) {
            try {
                return readOnce(what, work);
            } catch (PipescopeException e) {
                if (!retryable(e, attempt)) {
                    throw e;
                }
            }
        }
    }

    private <T> T readOnce(String what, SqlFunction<Connection, T> work) {
        Connection connection;
        try {
            connection = readerConnections.openConnection();
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, file, "open a connection");
        }
        // closing the connection ends the transaction when work fails
        try (connection) {
            connection.setAutoCommit(false);
            T result = work.apply(connection);
            connection.rollback(); // a read: nothing to keep, only the snapshot to end
            return result;
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, file, what);
        }
    }

    private <T> T reading(String what, Function<Handle, T> work, boolean transactional) {
        var joined = current.get();
        if (joined != null) {
            return run(joined, what, work, transactional);
        }
        // a :memory: database is one connection; a second one would be another, empty database
        return singleConnection ? withWriter(what, work, transactional) : withReader(what, work, transactional);
    }

    /**
     * Runs {@code work} in a write transaction ({@code BEGIN IMMEDIATE}); everything it writes commits
     * together or not at all.
     *
     * @throws ReadOnlyViolationException at once, before touching the file, when opened read-only
     */
    @Override
    public <T> T write(String what, Function<Handle, T> work) {
        if (settings.readOnly()) {
            throw new ReadOnlyViolationException("database " + file + " was opened read-only: refused to " + what);
        }
        var joined = current.get();
        if (joined != null && joined == writer) {
            return run(joined, what, work, true);
        }
        // a write from inside a read uses the writer's own connection; WAL lets both proceed
        return withWriter(what, work, true);
    }

    private <T> T withWriter(String what, Function<Handle, T> work, boolean transactional) {
        ensureOpen();
        writeLock.lock();
        try {
            for (int attempt = 0; ; attempt++) {
                if (writer == null) {
                    writer = open(true);
                }
                try {
                    return run(writer, what, work, transactional);
                } catch (PipescopeException e) {
                    if (isBroken(writer)) {
                        discard(writer, e);
                        writer = null;
                    }
                    if (!retryable(e, attempt)) {
                        throw e;
                    }
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    private <T> T withReader(String what, Function<Handle, T> work, boolean transactional) {
        ensureOpen();
        for (int attempt = 0; ; attempt++) {
            var session = borrowReader(what);
            try {
                var result = run(session, what, work, transactional);
                giveBack(session);
                return result;
            } catch (PipescopeException e) {
                if (isBroken(session)) {
                    discard(session, e);
                    synchronized (this) {
                        readerCount--;
                    }
                } else {
                    giveBack(session);
                }
                if (!retryable(e, attempt)) {
                    throw e;
                }
            }
        }
    }

    private void giveBack(Session session) {
        if (!idleReaders.offer(session)) {
            session.close();
        }
    }

    private static boolean retryable(PipescopeException e, int attempt) {
        if (!(e instanceof DatabaseBusyException) || attempt >= BUSY_RETRIES) {
            return false;
        }
        try {
            Thread.sleep(50L << (2 * attempt));
            return true;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * A session is broken when a failure left its connection inside a transaction: sqlite-jdbc keeps
     * believing in a transaction whose BEGIN failed (SQLITE_BUSY), and work on it would never commit.
     */
    private static boolean isBroken(Session session) {
        try {
            return !session.handle().getConnection().getAutoCommit();
        } catch (SQLException e) {
            return true;
        }
    }

    /** Closes a broken session's connection directly: Jdbi's close would try to end the phantom transaction. */
    private synchronized void discard(Session session, PipescopeException cause) {
        allSessions.remove(session);
        try {
            session.handle().getConnection().close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private Session borrowReader(String what) {
        var session = idleReaders.poll();
        if (session != null) {
            return session;
        }
        synchronized (this) {
            if (readerCount < settings.maxReaders()) {
                var opened = open(false);
                readerCount++;
                return opened;
            }
        }
        try {
            session = idleReaders.poll(settings.busyTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseBusyException("interrupted while waiting for a reader of " + file + " to " + what, e);
        }
        if (session == null) {
            throw new DatabaseBusyException("all " + settings.maxReaders() + " readers of " + file
                    + " stayed busy for " + settings.busyTimeoutMs() + " ms; could not " + what);
        }
        return session;
    }

    private synchronized Session open(boolean forWriter) {
        if (forWriter && writerJdbi == null) {
            writerJdbi = Jdbi.create(writerConnections);
        } else if (!forWriter && readerJdbi == null) {
            readerJdbi = Jdbi.create(readerConnections);
        }
        var statements = new CachingStatementBuilder();
        Handle handle;
        try {
            handle = (forWriter ? writerJdbi : readerJdbi).open();
        } catch (RuntimeException e) {
            throw SqliteErrors.translate(e, file, "open a connection");
        }
        handle.setStatementBuilder(statements);
        var session = new Session(handle, statements);
        allSessions.add(session);
        return session;
    }

    private <T> T run(Session session, String what, Function<Handle, T> work, boolean transactional) {
        var previous = current.get();
        current.set(session);
        try {
            var handle = session.handle();
            if (!transactional || handle.isInTransaction()) {
                return work.apply(handle);
            }
            return handle.inTransaction(h -> work.apply(h));
        } catch (PipescopeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SqliteErrors.translate(e, file, what);
        } finally {
            if (previous == null) {
                current.remove();
            } else {
                current.set(previous);
            }
        }
    }

    @Override
    public <T> T withWriterConnection(String what, SqlFunction<Connection, T> work) {
        if (settings.readOnly()) {
            throw new ReadOnlyViolationException("database " + file + " was opened read-only: refused to " + what);
        }
        return withWriter(what, handle -> {
            try {
                return work.apply(handle.getConnection());
            } catch (SQLException e) {
                throw SqliteErrors.translate(e, file, what);
            }
        }, false);
    }

    /**
     * The handle's cached prepared statement for {@code sql}, to bind and execute with plain JDBC: kept for
     * the life of the connection, so a hot path prepares its SQL once.
     */
    @Override
    public java.sql.PreparedStatement prepared(Handle handle, String sql) throws SQLException {
        return ((CachingStatementBuilder) handle.getStatementBuilder()).reusable(handle.getConnection(), sql);
    }

    @Override
    public dev.pipescope.error.PipescopeException translate(Throwable error, String what) {
        return SqliteErrors.translate(error, file, what);
    }

    @Override
    public boolean isConstraint(Throwable error) {
        return SqliteErrors.isConstraint(error);
    }

    @Override
    public String messageOf(Throwable error) {
        return SqliteErrors.messageOf(error);
    }

    private void ensureOpen() {
        if (closed) {
            throw new dev.pipescope.error.StorageException("database " + file + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        for (var session : allSessions) {
            try {
                session.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        allSessions.clear();
        idleReaders.clear();
        if (failure != null) {
            throw SqliteErrors.translate(failure, file, "close");
        }
    }
}
