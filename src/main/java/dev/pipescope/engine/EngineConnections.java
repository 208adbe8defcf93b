package dev.pipescope.engine;

import dev.pipescope.ConnectionSettings;
import dev.pipescope.Connections;
import dev.pipescope.error.PipescopeException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * What the sources' repositories need of an engine's connections, beyond {@link Connections}: which SQL
 * dialect to speak, single-statement reads, prepared statements for plain-JDBC hot paths, and the engine's
 * own reading of its failures. SQLite ({@code dev.pipescope.sqlite.SqliteConnections}) and PostgreSQL
 * ({@code dev.pipescope.postgres.PostgresConnections}) implement it, so a repository is written once and
 * each rule lives in one place.
 *
 * <pre>{@code
 * long active = connections.query("count pipelines",
 *         h -> h.createQuery("SELECT COUNT(*) FROM pipelines WHERE archived = false").mapTo(Long.class).one());
 * }</pre>
 */
public interface EngineConnections extends Connections {

    /** The dialect, which picks the statements that differ between engines. */
    Dialect dialect();

    /** The settings the database was opened with (read-only, the zone of naive timestamps). */
    ConnectionSettings settings();

    /**
     * Runs a read of a single statement, which sees one consistent snapshot by itself: an engine may skip
     * the transaction around it (SQLite does: BEGIN/COMMIT cost more than a point lookup). Work that runs more
     * than one statement and needs them to agree uses {@link #read}.
     */
    <T> T query(String what, Function<Handle, T> work);

    /**
     * A prepared statement for {@code sql} on {@code handle}'s connection, for code that binds and runs it
     * with plain JDBC (batch inserts, scans of a million rows). The connections own it: the caller never
     * closes it, and uses it only inside the {@link #read}, {@link #write} or {@link #query} that gave it the
     * handle. SQLite keeps one per SQL text for the life of the connection; PostgreSQL prepares one per work
     * and its driver reuses the server-side statement.
     *
     * @throws SQLException when the statement does not prepare
     */
    PreparedStatement prepared(Handle handle, String sql) throws SQLException;

    /**
     * The typed error for a failure while doing {@code what} on this database, naming {@link #location()};
     * a Pipescope exception passes through unchanged.
     */
    PipescopeException translate(Throwable error, String what);

    /** True when the failure is a constraint violation (unique, primary key, foreign key, check, not null). */
    boolean isConstraint(Throwable error);

    /** The engine's own message of the deepest SQL failure in {@code error}, or the error's message. */
    String messageOf(Throwable error);
}
