package dev.pipescope.notebook;

import dev.pipescope.PipescopeDatabase;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.error.ReadOnlyViolationException;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the SQL a user typed (one statement or several, separated by {@code ;}) on the current database
 * and returns the last statement's result as a table.
 *
 * <p>Every statement runs, in one transaction: on a writable file a write transaction when any statement
 * is not provably read-only (SQLite's own program for it starts a write transaction), so either all of
 * them take effect or none; on a read-only file (and for cells of queries only) a read transaction on
 * read-only, {@code query_only} connections. On a read-only file every statement must be a query SQLite
 * confirms does not write; anything else is refused, naming the statement, before any of them runs.
 *
 * <p>Column types come from the values of every row (not the first): all integers make a long column,
 * integers and reals a double column, anything else text; a column without values takes its declared
 * type. A collection (or array) parameter binds one value per element: {@code IN (:names)}.
 */
final class SqlRunner {

    private static final Pattern NEAR = Pattern.compile("near \"([^\"]*)\"");

    private SqlRunner() {
    }

    static Table run(PipescopeDatabase db, String sql, Map<String, ?> parameters) {
        List<SqlText.Statement> statements = SqlText.statements(sql);
        if (statements.isEmpty()) {
            throw new InvalidArgumentException("sql() was given no statement");
        }
        List<SqlBinding.Bound> bound = new ArrayList<>(statements.size());
        for (SqlText.Statement statement : statements) {
            bound.add(SqlBinding.bind(statement.text(), parameters));
        }
        String what = "run SQL '" + SqlText.firstLine(statements.get(0).text()) + "'"
                + (statements.size() > 1 ? " and " + (statements.size() - 1) + " more statements" : "");
        try {
            boolean readOnlyFile = db.readOnly();
            boolean[] onServer = {false};
            List<SqlGuard.Effect> effects = db.connections().read(what, h -> {
                Connection connection = h.getConnection();
                boolean postgres = ServerSqlGuard.isPostgres(connection);
                onServer[0] = postgres;
                List<SqlGuard.Effect> found = new ArrayList<>();
                for (int i = 0; i < statements.size(); i++) {
                    refuseSecrets(connection, postgres, statements, bound, i);
                    SqlGuard.Effect effect = postgres ? ServerSqlGuard.effect(connection, bound.get(i))
                            : SqlGuard.effect(connection, bound.get(i));
                    String text = SqlText.withoutLeadingComments(statements.get(i).text());
                    boolean query = (postgres ? ServerSqlGuard.QUERY_START : SqlText.QUERY_START).matcher(text).find();
                    if (readOnlyFile && (effect == SqlGuard.Effect.WRITES || !query)) {
                        // refused here, before any statement runs, so that nothing reaches a read-only database
                        throw new ReadOnlyViolationException(db.connections().location() + " is open read-only, and "
                                + name(statements, i) + " is not a query: " + SqlText.firstLine(statements.get(i).text()));
                    }
                    found.add(effect);
                }
                return found;
            });
            // a statement that does not prepare on a read-only file fails on the reader with SQLite's message
            if (readOnlyFile || effects.stream().allMatch(e -> e == SqlGuard.Effect.READS)) {
                try {
                    return db.connections().read(what, h -> executeAll(h.getConnection(), onServer[0], statements, bound));
                } catch (SqlFailure failure) {
                    if (!onServer[0] || !READ_ONLY_TRANSACTION.equals(failure.sqlState)) {
                        throw failure;
                    }
                    if (readOnlyFile) {
                        // PostgreSQL's read-only transaction refused what no plan showed (a function that writes)
                        throw new ReadOnlyViolationException(db.connections().location() + " is open read-only, and "
                                + name(statements, failure.statement) + " writes: "
                                + SqlText.firstLine(statements.get(failure.statement).text()) + " ("
                                + failure.getCause().getMessage() + "). Nothing was changed.", failure.getCause());
                    }
                    // a query whose plan did not show that it writes (nextval(), a function that writes): the read
                    // transaction refused it and was rolled back, so the cell runs again in a write transaction
                }
            }
            return db.connections().write(what, h -> executeAll(h.getConnection(), onServer[0], statements, bound));
        } catch (SqlFailure failure) {
            // the message carries SQLite's text and the position; the JDBC stack would only bury them
            String prefix = statements.size() > 1 ? "in " + name(statements, failure.statement) + " ("
                    + SqlText.firstLine(statements.get(failure.statement).text()) + "; nothing of the cell was kept): " : "";
            throw new InvalidArgumentException(describe(prefix + failure.getCause().getMessage(), sql,
                    failure.position < 0 ? -1 : statements.get(failure.statement).offset() + failure.position));
        }
    }

    static String name(List<SqlText.Statement> statements, int index) {
        return "statement " + (index + 1) + " of " + statements.size();
    }

    /** PostgreSQL's SQLSTATE for a write refused by a read-only transaction. */
    private static final String READ_ONLY_TRANSACTION = "25006";

    /** Carries a JDBC failure out of the connection helpers untranslated, so the engine's text is kept. */
    private static final class SqlFailure extends PipescopeException {
        final int statement;
        final int position;
        final String sqlState;

        SqlFailure(SQLException cause, int statement, int position) {
            super(cause.getMessage(), cause);
            this.statement = statement;
            this.position = position;
            this.sqlState = cause.getSQLState();
        }
    }

    /** The engine's guard against showing the tables that hold secrets: SQLite's program or PostgreSQL's plan. */
    private static void refuseSecrets(Connection connection, boolean postgres, List<SqlText.Statement> statements,
                                      List<SqlBinding.Bound> bound, int index) {
        if (postgres) {
            ServerSqlGuard.refuseSecrets(connection, statements, bound, index);
        } else {
            SqlGuard.refuseSecrets(connection, statements, bound, index);
        }
    }

    /** Runs every statement in order on {@code connection}; the last one's result is the table. */
    private static Table executeAll(Connection connection, boolean postgres, List<SqlText.Statement> statements,
                                    List<SqlBinding.Bound> bound) {
        Table last = null;
        for (int i = 0; i < statements.size(); i++) {
            refuseSecrets(connection, postgres, statements, bound, i);
            last = execute(connection, i, statements.get(i).text(), bound.get(i));
        }
        return last;
    }

    private static Table execute(Connection connection, int index, String sql, SqlBinding.Bound bound) {
        try (PreparedStatement statement = connection.prepareStatement(bound.jdbcSql())) {
            for (int i = 0; i < bound.values().size(); i++) {
                statement.setObject(i + 1, bound.values().get(i));
            }
            if (!statement.execute()) {
                LongColumn changes = LongColumn.create("changes");
                changes.append(statement.getUpdateCount());
                return Table.create("sql", changes);
            }
            try (ResultSet rs = statement.getResultSet()) {
                return SqlResultTables.toTable(rs);
            }
        } catch (SQLException e) {
            throw new SqlFailure(e, index, locate(connection, sql, e.getMessage()));
        }
    }

    /**
     * Where SQLite's {@code near "token"} is: the token may occur more than once, and it is the first
     * occurrence at which the statement cut after it already fails with the same complaint (an earlier
     * cut is only incomplete). -1 when the message names no token.
     */
    static int locate(Connection connection, String sql, String message) {
        Matcher near = NEAR.matcher(message == null ? "" : message);
        if (!near.find() || near.group(1).isEmpty()) {
            return -1;
        }
        String token = near.group(1);
        int first = sql.indexOf(token);
        for (int at = first; at >= 0; at = sql.indexOf(token, at + 1)) {
            try (PreparedStatement ignored = connection.prepareStatement(sql.substring(0, at + token.length()))) {
                // the cut parses: the complaint is further on
            } catch (SQLException e) {
                if (e.getMessage() != null && e.getMessage().contains(near.group(0))) {
                    return at;
                }
            }
        }
        return first;
    }

    /** SQLite's message, plus the statement's line with a caret under {@code position} (if known). */
    static String describe(String message, String sql, int position) {
        StringBuilder out = new StringBuilder("SQL error: ").append(message);
        if (position >= 0) {
            int lineStart = sql.lastIndexOf('\n', position) + 1;
            int lineEnd = sql.indexOf('\n', position);
            lineEnd = lineEnd < 0 ? sql.length() : lineEnd;
            int lineNumber = (int) sql.substring(0, position).chars().filter(c -> c == '\n').count() + 1;
            int column = position - lineStart + 1;
            out.append("\n  at line ").append(lineNumber).append(", column ").append(column).append(":\n  ")
                    .append(sql, lineStart, lineEnd).append("\n  ").append(" ".repeat(column - 1)).append('^');
        }
        return out.toString();
    }

}
