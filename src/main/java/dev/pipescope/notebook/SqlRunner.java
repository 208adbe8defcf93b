package dev.pipescope.notebook;

import dev.pipescope.PipescopeDatabase;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.PipescopeException;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one SQL statement typed by the user on the current database and returns its result as a table.
 *
 * <p>Column types come from the values of every row (not the first): all integers make a long column,
 * integers and reals a double column, anything else text; a column without values takes its declared
 * type. Read-only databases run statements on read-only, {@code query_only} connections, and anything
 * but a query is refused before it reaches the file.
 */
final class SqlRunner {

    private static final Pattern NEAR = Pattern.compile("near \"([^\"]*)\"");
    private static final Pattern QUERY_START = Pattern.compile("^(SELECT|WITH|VALUES|EXPLAIN)\\b", Pattern.CASE_INSENSITIVE);

    private SqlRunner() {
    }

    /** A statement with {@code :name} parameters turned into positional ones. */
    record Prepared(String jdbcSql, List<String> names) {
    }

    static Table run(PipescopeDatabase db, String sql, Map<String, ?> parameters) {
        String text = sql.strip();
        while (text.endsWith(";")) {
            text = text.substring(0, text.length() - 1).strip();
        }
        if (text.isEmpty()) {
            throw new InvalidArgumentException("sql() was given no statement");
        }
        Prepared prepared = parameters(text);
        for (String name : prepared.names) {
            if (!parameters.containsKey(name)) {
                throw new InvalidArgumentException("SQL parameter :" + name + " has no value (given: "
                        + new java.util.TreeSet<>(parameters.keySet()) + ")");
            }
        }
        String query = text;
        boolean isQuery = QUERY_START.matcher(withoutLeadingComments(text)).find();
        try {
            if (isQuery || db.readOnly()) {
                if (!isQuery) {
                    // refused here so that nothing (not even PRAGMA or ATTACH) reaches a read-only file
                    db.connections().write("run SQL '" + firstLine(text) + "'", h -> null);
                }
                return db.connections().read("run SQL '" + firstLine(text) + "'",
                        h -> execute(h.getConnection(), query, prepared, parameters));
            }
            return db.connections().write("run SQL '" + firstLine(text) + "'",
                    h -> execute(h.getConnection(), query, prepared, parameters));
        } catch (SqlFailure failure) {
            // the message carries SQLite's text and the position; the JDBC stack would only bury them
            throw new InvalidArgumentException(describe(failure.getCause().getMessage(), query, failure.position));
        }
    }

    /** Carries a JDBC failure out of the connection helpers untranslated, so its SQLite text is kept. */
    private static final class SqlFailure extends PipescopeException {
        final int position;

        SqlFailure(SQLException cause, int position) {
            super(cause.getMessage(), cause);
            this.position = position;
        }
    }

    private static Table execute(Connection connection, String sql, Prepared prepared, Map<String, ?> parameters) {
        try (PreparedStatement statement = connection.prepareStatement(prepared.jdbcSql)) {
            for (int i = 0; i < prepared.names.size(); i++) {
                statement.setObject(i + 1, jdbcValue(parameters.get(prepared.names.get(i))));
            }
            if (!statement.execute()) {
                LongColumn changes = LongColumn.create("changes");
                changes.append(statement.getUpdateCount());
                return Table.create("sql", changes);
            }
            try (ResultSet rs = statement.getResultSet()) {
                return toTable(rs);
            }
        } catch (SQLException e) {
            throw new SqlFailure(e, locate(connection, sql, e.getMessage()));
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

    private static Object jdbcValue(Object value) {
        if (value instanceof java.time.Instant instant) {
            return dev.pipescope.domain.Timestamps.format(instant);
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        return value;
    }

    static Table toTable(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int count = meta.getColumnCount();
        List<List<Object>> values = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            values.add(new ArrayList<>());
        }
        while (rs.next()) {
            for (int c = 0; c < count; c++) {
                values.get(c).add(rs.getObject(c + 1));
            }
        }
        List<Column<?>> columns = new ArrayList<>(count);
        List<String> used = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            String name = unique(meta.getColumnLabel(c + 1), used);
            columns.add(column(name, declaredType(meta, c + 1), values.get(c)));
        }
        return Table.create("sql", columns.toArray(new Column<?>[0]));
    }

    private static String declaredType(ResultSetMetaData meta, int column) {
        try {
            String type = meta.getColumnTypeName(column);
            return type == null ? "" : type.toUpperCase(Locale.ROOT);
        } catch (SQLException e) {
            return "";
        }
    }

    private static String unique(String name, List<String> used) {
        String candidate = name == null || name.isBlank() ? "column" : name;
        String base = candidate;
        int n = 2;
        while (used.contains(candidate)) {
            candidate = base + "_" + n++;
        }
        used.add(candidate);
        return candidate;
    }

    private static Column<?> column(String name, String declared, List<Object> values) {
        boolean allIntegral = true;
        boolean allNumeric = true;
        boolean any = false;
        for (Object v : values) {
            if (v == null) {
                continue;
            }
            any = true;
            if (!(v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)) {
                allIntegral = false;
                if (!(v instanceof Double || v instanceof Float)) {
                    allNumeric = false;
                }
            }
        }
        if (!any) {
            allIntegral = declared.contains("INT");
            allNumeric = allIntegral || declared.contains("REAL") || declared.contains("FLOA") || declared.contains("DOUB");
        }
        if (allIntegral) {
            LongColumn column = LongColumn.create(name);
            values.forEach(v -> {
                if (v == null) {
                    column.appendMissing();
                } else {
                    column.append(((Number) v).longValue());
                }
            });
            return column;
        }
        if (allNumeric) {
            DoubleColumn column = DoubleColumn.create(name);
            values.forEach(v -> {
                if (v == null) {
                    column.appendMissing();
                } else {
                    column.append(((Number) v).doubleValue());
                }
            });
            return column;
        }
        StringColumn column = StringColumn.create(name);
        values.forEach(v -> {
            if (v == null) {
                column.appendMissing();
            } else if (v instanceof byte[] bytes) {
                column.append("x'" + HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 32))
                        + (bytes.length > 32 ? "…' (" + bytes.length + " bytes)" : "'"));
            } else {
                column.append(v.toString());
            }
        });
        return column;
    }

    /** Replaces {@code :name} outside string literals, quoted names and comments by {@code ?}. */
    /** {@code sql} from its first token on: a notebook cell often starts with a comment saying what it asks. */
    static String withoutLeadingComments(String sql) {
        int i = 0;
        while (i < sql.length()) {
            if (Character.isWhitespace(sql.charAt(i))) {
                i++;
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 2;
            } else {
                break;
            }
        }
        return sql.substring(i);
    }

    static Prepared parameters(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        List<String> names = new ArrayList<>();
        int i = 0;
        while (i < sql.length()) {
            char ch = sql.charAt(i);
            if (ch == '\'' || ch == '"' || ch == '`' || ch == '[') {
                char close = ch == '[' ? ']' : ch;
                int end = sql.indexOf(close, i + 1);
                end = end < 0 ? sql.length() : end + 1;
                out.append(sql, i, end);
                i = end;
            } else if (ch == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? sql.length() : end;
                out.append(sql, i, end);
                i = end;
            } else if (ch == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? sql.length() : end + 2;
                out.append(sql, i, end);
                i = end;
            } else if (ch == ':' && i + 1 < sql.length() && Character.isJavaIdentifierStart(sql.charAt(i + 1))
                    && (i == 0 || sql.charAt(i - 1) != ':')) {
                int end = i + 1;
                while (end < sql.length() && Character.isJavaIdentifierPart(sql.charAt(end))) {
                    end++;
                }
                names.add(sql.substring(i + 1, end));
                out.append('?');
                i = end;
            } else {
                out.append(ch);
                i++;
            }
        }
        return new Prepared(out.toString(), List.copyOf(names));
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

    private static String firstLine(String sql) {
        String line = sql.lines().findFirst().orElse("");
        return line.length() > 60 ? line.substring(0, 59) + "…" : line;
    }
}
