package dev.pipescope.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.ConnectionSettings;
import dev.pipescope.Secret;
import dev.pipescope.ServerTarget;
import dev.pipescope.error.DatabaseBusyException;
import dev.pipescope.error.ReadOnlyViolationException;
import dev.pipescope.error.StorageException;
import dev.pipescope.testing.PostgresServer;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transactions, the read-only guard and conflict retries on a real PostgreSQL server. */
class PostgresConnectionsTest {
    private ServerTarget target;
    private PostgresConnections connections;

    @BeforeEach
    void open() throws SQLException {
        target = PostgresServer.get().newDatabase("connections");
        outside("CREATE TABLE counters (name text PRIMARY KEY, n bigint NOT NULL)");
        outside("INSERT INTO counters VALUES ('a', 1)");
        connections = PostgresConnections.open(target, ConnectionSettings.readWrite());
    }

    @AfterEach
    void close() {
        connections.close();
    }

    /** A statement on a connection of its own, committed at once: another client of the same database. */
    private void outside(String sql) throws SQLException {
        try (var c = DriverManager.getConnection(target.jdbcUrl(), target.user().orElseThrow(),
                target.password().map(Secret::reveal).orElse(null)); var st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private long counter(String name) throws SQLException {
        try (var c = DriverManager.getConnection(target.jdbcUrl(), target.user().orElseThrow(),
                target.password().map(Secret::reveal).orElse(null));
             var st = c.prepareStatement("SELECT n FROM counters WHERE name = ?")) {
            st.setString(1, name);
            try (var rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    private static long n(org.jdbi.v3.core.Handle h) {
        return h.createQuery("SELECT n FROM counters WHERE name = 'a'").mapTo(Long.class).one();
    }

    @Test
    void aReadSeesOneSnapshotWhileAnotherClientCommits() {
        var seen = connections.read("read twice", h -> {
            long before = n(h);
            try {
                outside("UPDATE counters SET n = 2 WHERE name = 'a'");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return List.of(before, n(h));
        });
        assertEquals(List.of(1L, 1L), seen, "the second read of the same transaction saw a later commit");
        assertEquals(2L, connections.read("read again", PostgresConnectionsTest::n));
    }

    @Test
    void aWriteCommitsTogetherOrNotAtAll() throws SQLException {
        var failed = assertThrows(StorageException.class, () -> connections.write("write then fail", h -> {
            h.execute("UPDATE counters SET n = 5 WHERE name = 'a'");
            h.execute("INSERT INTO counters VALUES ('b', 1)");
            throw new IllegalStateException("fails after two statements");
        }));
        assertTrue(failed.getCause() instanceof IllegalStateException, failed.toString());
        assertEquals(1, counter("a"));
        assertEquals(-1, counter("b"));
        connections.write("write", h -> h.execute("UPDATE counters SET n = 5 WHERE name = 'a'"));
        assertEquals(5, counter("a"));
    }

    @Test
    void aReadInsideAWriteSeesWhatTheWriteDid() {
        long seen = connections.write("write then read", h -> {
            h.execute("UPDATE counters SET n = 7 WHERE name = 'a'");
            return connections.read("read inside", PostgresConnectionsTest::n);
        });
        assertEquals(7, seen);
    }

    @Test
    void readsAreReadOnlyEvenOnAWritableDatabase() throws SQLException {
        var refused = assertThrows(ReadOnlyViolationException.class,
                () -> connections.read("sneak a write", h -> h.execute("UPDATE counters SET n = 9 WHERE name = 'a'")));
        assertTrue(refused.getMessage().contains(target.database()), refused.getMessage());
        // after the first query of a read the server refuses to make it read-write
        assertThrows(StorageException.class, () -> connections.read("make the read writable", h -> {
            h.execute("SET TRANSACTION READ WRITE");
            return h.execute("UPDATE counters SET n = 9 WHERE name = 'a'");
        }));
        assertEquals(1, counter("a"));
    }

    /** Two writers update the same row; the one that loses the conflict runs again and both increments count. */
    @Test
    void aSerializationConflictRetriesTheWholeWrite() throws SQLException {
        var attempts = new AtomicInteger();
        connections.write("increment, colliding once", h -> {
            long read = n(h);
            if (attempts.incrementAndGet() == 1) {
                try {
                    outside("UPDATE counters SET n = n + 100 WHERE name = 'a'");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
            return h.execute("UPDATE counters SET n = ? WHERE name = 'a'", read + 1);
        });
        assertEquals(2, attempts.get(), "the conflicting first attempt is retried once");
        assertEquals(102, counter("a"), "the retry read the other writer's value");
    }

    @Test
    void aConflictThatNeverClearsEndsInATypedBusyError() throws SQLException {
        var attempts = new AtomicInteger();
        var busy = assertThrows(DatabaseBusyException.class, () -> connections.write("always collide", h -> {
            long read = n(h);
            attempts.incrementAndGet();
            try {
                outside("UPDATE counters SET n = n + 1 WHERE name = 'a'");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return h.execute("UPDATE counters SET n = ? WHERE name = 'a'", read + 1000);
        }));
        assertEquals(PostgresConnections.CONFLICT_RETRIES + 1, attempts.get());
        assertTrue(busy.getMessage().contains(target.database()) && busy.getMessage().contains("40001"), busy.getMessage());
        assertEquals(1 + attempts.get(), counter("a"), "only the other writer's increments were kept");
    }

    @Test
    void preparedStatementsAreClosedWhenTheirWorkReturns() throws SQLException {
        var kept = new AtomicReference<PreparedStatement>();
        long n = connections.query("read through a prepared statement", h -> {
            try {
                var statement = connections.prepared(h, "SELECT n FROM counters WHERE name = ?");
                kept.set(statement);
                statement.setString(1, "a");
                try (var rs = statement.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            } catch (SQLException e) {
                throw connections.translate(e, "read");
            }
        });
        assertEquals(1, n);
        assertTrue(kept.get().isClosed());
    }

    @Test
    void openedReadOnlyNothingWritesNotEvenRawSqlOutsideATransaction() throws SQLException {
        try (var readOnly = PostgresConnections.open(target, ConnectionSettings.readOnlyDefaults())) {
            assertTrue(readOnly.readOnly());
            var write = assertThrows(ReadOnlyViolationException.class,
                    () -> readOnly.write("update", h -> h.execute("UPDATE counters SET n = 9")));
            assertTrue(write.getMessage().contains(target.location()), write.getMessage());
            assertThrows(ReadOnlyViolationException.class,
                    () -> readOnly.withWriterConnection("vacuum", c -> c.createStatement().execute("VACUUM")));
            assertThrows(ReadOnlyViolationException.class,
                    () -> readOnly.read("ddl", h -> h.execute("CREATE TABLE sneaked (id int)")));
            // a pooled connection in autocommit, as %%sql or a backup tool would get it: the server refuses
            try (var raw = readOnly.dataSource().getConnection(); var st = raw.createStatement()) {
                assertTrue(raw.getAutoCommit());
                var refused = assertThrows(SQLException.class, () -> st.execute("DELETE FROM counters"));
                assertEquals("25006", refused.getSQLState(), refused.getMessage());
            }
            assertEquals(1, readOnly.query("read", PostgresConnectionsTest::n));
        }
        assertEquals(1, counter("a"));
        boolean sneaked = connections.read("tables", h -> h.createQuery(
                "SELECT count(*) > 0 FROM pg_tables WHERE tablename = 'sneaked'").mapTo(Boolean.class).one());
        assertFalse(sneaked);
    }

    /** A URL's own server options are kept, and cannot take the read-only guard away. */
    @Test
    void aTargetsOwnOptionsCannotTurnTheReadOnlyGuardOff() throws SQLException {
        var withOptions = new ServerTarget(target.host(), target.port(), target.database(),
                List.of("options=-c%20default_transaction_read_only%3Doff%20-c%20work_mem%3D7MB"),
                target.user(), target.password(), 2, target.connectTimeoutMs(), 0);
        try (var readOnly = PostgresConnections.open(withOptions, ConnectionSettings.readOnlyDefaults());
             var raw = readOnly.dataSource().getConnection(); var st = raw.createStatement()) {
            var refused = assertThrows(SQLException.class, () -> st.execute("DELETE FROM counters"));
            assertEquals("25006", refused.getSQLState(), refused.getMessage());
            try (var rs = st.executeQuery("SELECT current_setting('work_mem')")) {
                rs.next();
                assertEquals("7MB", rs.getString(1), "the target's own option is applied too");
            }
        }
        assertEquals(1, counter("a"));
    }

    @Test
    void aClosedConnectionsRefusesWorkWithATypedError() {
        connections.close();
        var closed = assertThrows(StorageException.class, () -> connections.read("read", PostgresConnectionsTest::n));
        assertTrue(closed.getMessage().contains("closed") && closed.getMessage().contains(target.database()),
                closed.getMessage());
        connections.close();
        assertSame(StorageException.class, closed.getClass());
    }
}
