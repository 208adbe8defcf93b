package dev.pipescope;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * The connections of one open database, for work that runs its own SQL: {@code %%sql}, backups,
 * health checks, demo data. Repositories are the way to read and write the tools' data; this is the
 * way under them, with the same transactions, retries and read-only guard.
 *
 * <pre>{@code
 * long runs = db.connections().read("count runs",
 *         h -> h.createQuery("SELECT count(*) FROM pipeline_runs").mapTo(Long.class).one());
 * }</pre>
 */
public interface Connections {

    /** Where the database is, as named in error messages: a file path, {@code :memory:} or a URL without secrets. */
    String location();

    /** True when the database was opened read-only. */
    boolean readOnly();

    /**
     * Runs {@code work} in a read transaction: every statement in it sees one consistent snapshot.
     *
     * @throws dev.pipescope.error.DatabaseBusyException when the database stays locked past the busy timeout
     */
    <T> T read(String what, Function<Handle, T> work);

    /**
     * Runs {@code work} on a plain JDBC connection in a read transaction: one consistent snapshot, like
     * {@link #read}, for work that only needs JDBC (a one-shot command's few queries start faster
     * without Jdbi's handle machinery).
     *
     * <pre>{@code
     * long pages = db.connections().readConnection("count pages", c -> {
     *     try (var rs = c.createStatement().executeQuery("PRAGMA page_count")) { rs.next(); return rs.getLong(1); }
     * });
     * }</pre>
     *
     * @throws dev.pipescope.error.DatabaseBusyException when the database stays locked past the busy timeout
     */
    <T> T readConnection(String what, SqlFunction<Connection, T> work);

    /**
     * Runs {@code work} in a write transaction: everything it writes commits together or not at all.
     *
     * @throws dev.pipescope.error.ReadOnlyViolationException at once, before touching the database, when read-only
     */
    <T> T write(String what, Function<Handle, T> work);

    /**
     * Runs {@code work} on the writer's plain JDBC connection, outside any transaction, holding the
     * write lock: for statements that cannot run in a transaction (index rebuilds, {@code VACUUM}).
     *
     * @throws dev.pipescope.error.ReadOnlyViolationException when read-only
     */
    <T> T withWriterConnection(String what, SqlFunction<Connection, T> work);

    /** A function that may throw {@link SQLException}. */
    @FunctionalInterface
    interface SqlFunction<A, R> {
        R apply(A argument) throws SQLException;
    }
}
