package dev.pipescope.notebook;

import dev.pipescope.PipescopeDatabase;
import dev.pipescope.domain.Layout;
import dev.pipescope.error.SecretTableException;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.error.ReadOnlyViolationException;
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
import java.util.Collection;
import java.util.Set;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
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
    private static final Pattern QUERY_START = Pattern.compile("^(SELECT|WITH|VALUES|EXPLAIN)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern TRIGGER_START = Pattern.compile("^CREATE\\s+(TEMP\\s+|TEMPORARY\\s+)?TRIGGER\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ENDS_WITH_END = Pattern.compile("\\bEND\\s*$", Pattern.CASE_INSENSITIVE);
    /** Opcodes of a program that changes the file, besides a write transaction (EXPLAIN's opcode column). */
    private static final Set<String> WRITING_OPCODES = Set.of("OpenWrite", "VUpdate", "VCreate", "VDestroy", "Vacuum",
            "SetCookie", "JournalMode", "CreateBtree", "Destroy", "Clear", "DropTable", "DropIndex", "DropTrigger",
            "IncrVacuum");

    private SqlRunner() {
    }

    /** A statement with {@code :name} parameters turned into positional ones. */
    record Prepared(String jdbcSql, List<String> names) {
    }

    /** One statement of a cell: its text and where it starts in the cell (for the caret of an error). */
    record Statement(String text, int offset) {
    }

    /** A statement ready to run: SQL with {@code ?} placeholders (a collection gives one per element) and the values. */
    record Bound(String jdbcSql, List<Object> values) {
    }

    static Table run(PipescopeDatabase db, String sql, Map<String, ?> parameters) {
        List<Statement> statements = statements(sql);
        if (statements.isEmpty()) {
            throw new InvalidArgumentException("sql() was given no statement");
        }
        List<Bound> bound = new ArrayList<>(statements.size());
        for (Statement statement : statements) {
            bound.add(bind(statement.text(), parameters));
        }
        String what = "run SQL '" + firstLine(statements.get(0).text()) + "'"
                + (statements.size() > 1 ? " and " + (statements.size() - 1) + " more statements" : "");
        try {
            boolean readOnlyFile = db.readOnly();
            List<Effect> effects = db.connections().read(what, h -> {
                List<Effect> found = new ArrayList<>();
                for (int i = 0; i < statements.size(); i++) {
                    refuseSecrets(h.getConnection(), statements, bound, i);
                    Effect effect = effect(h.getConnection(), bound.get(i));
                    boolean query = QUERY_START.matcher(withoutLeadingComments(statements.get(i).text())).find();
                    if (readOnlyFile && (effect == Effect.WRITES || !query)) {
                        // refused here, before any statement runs, so that nothing reaches a read-only file
                        throw new ReadOnlyViolationException(db.connections().location() + " is open read-only, and "
                                + name(statements, i) + " is not a query: " + firstLine(statements.get(i).text()));
                    }
                    found.add(effect);
                }
                return found;
            });
            // a statement that does not prepare on a read-only file fails on the reader with SQLite's message
            if (readOnlyFile || effects.stream().allMatch(e -> e == Effect.READS)) {
                return db.connections().read(what, h -> executeAll(h.getConnection(), statements, bound));
            }
            return db.connections().write(what, h -> executeAll(h.getConnection(), statements, bound));
        } catch (SqlFailure failure) {
            // the message carries SQLite's text and the position; the JDBC stack would only bury them
            String prefix = statements.size() > 1 ? "in " + name(statements, failure.statement) + " ("
                    + firstLine(statements.get(failure.statement).text()) + "; nothing of the cell was kept): " : "";
            throw new InvalidArgumentException(describe(prefix + failure.getCause().getMessage(), sql,
                    failure.position < 0 ? -1 : statements.get(failure.statement).offset() + failure.position));
        }
    }

    private static String name(List<Statement> statements, int index) {
        return "statement " + (index + 1) + " of " + statements.size();
    }

    /** What a statement does to the file, as SQLite's program for it says. */
    enum Effect { READS, WRITES, UNKNOWN }

    /**
     * Whether SQLite's program for the statement writes: it starts a write transaction or has an opcode
     * that writes. UNKNOWN when the statement does not prepare (yet: it may use a table an earlier
     * statement of the cell creates), so it is not provably read-only.
     */
    static Effect effect(Connection connection, Bound statement) {
        if (withoutLeadingComments(statement.jdbcSql()).regionMatches(true, 0, "EXPLAIN", 0, 7)) {
            return Effect.READS; // EXPLAIN shows a program without running it
        }
        try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + statement.jdbcSql());
             ResultSet program = explain.executeQuery()) {
            while (program.next()) {
                String opcode = program.getString("opcode");
                if ("Transaction".equals(opcode) && program.getLong("p2") != 0 || WRITING_OPCODES.contains(opcode)) {
                    return Effect.WRITES;
                }
            }
            return Effect.READS;
        } catch (SQLException e) {
            // not an error to report here: the statement itself fails with this message when it runs
            return Effect.UNKNOWN;
        }
    }

    /** Carries a JDBC failure out of the connection helpers untranslated, so its SQLite text is kept. */
    private static final class SqlFailure extends PipescopeException {
        final int statement;
        final int position;

        SqlFailure(SQLException cause, int statement, int position) {
            super(cause.getMessage(), cause);
            this.statement = statement;
            this.position = position;
        }
    }

    /**
     * Refuses a statement whose program opens a table that holds secrets ({@link Layout#allSecretTables()}),
     * in the file or any attached one, as SQLite compiled it: through a view, a subquery or a join alike.
     * A statement that does not compile yet (its table comes from an earlier statement of the cell) is
     * judged again just before it runs.
     */
    static void refuseSecrets(Connection connection, List<Statement> statements, List<Bound> bound, int index) {
        var secretPages = secretPages(connection);
        if (secretPages.isEmpty()) {
            return;
        }
        try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + bound.get(index).jdbcSql());
             ResultSet program = explain.executeQuery()) {
            while (program.next()) {
                String opcode = program.getString("opcode");
                if (opcode.startsWith("Open") || "ReopenIdx".equals(opcode)) {
                    String table = secretPages.get(program.getLong("p3") + ":" + program.getLong("p2"));
                    if (table != null) {
                        throw new SecretTableException(name(statements, index) + " (" + firstLine(statements.get(index)
                                .text()) + ") reads " + table + ", which holds secrets (tokens, sessions or "
                                + "credentials); Pipescope never shows it. Nothing was run.");
                    }
                }
            }
        } catch (SQLException e) {
            // the statement does not compile yet: it is judged again just before it runs, and fails there if it
            // still does not compile, with SQLite's message
        }
    }

    /** Where the secret tables live, as "database index:root page" (what EXPLAIN's Open* opcodes name) to table. */
    private static Map<String, String> secretPages(Connection connection) {
        try {
            var secretPages = new java.util.HashMap<String, String>();
            List<String[]> schemas = new ArrayList<>();
            try (var st = connection.createStatement(); var rs = st.executeQuery("PRAGMA database_list")) {
                while (rs.next()) {
                    schemas.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            for (String[] schema : schemas) {
                String master = "\"" + schema[1].replace("\"", "\"\"") + "\".sqlite_master";
                try (var st = connection.createStatement();
                     var rs = st.executeQuery("SELECT tbl_name, rootpage FROM " + master + " WHERE rootpage > 0")) {
                    while (rs.next()) {
                        if (Layout.allSecretTables().contains(rs.getString(1).toLowerCase(java.util.Locale.ROOT))) {
                            secretPages.put(schema[0] + ":" + rs.getLong(2), rs.getString(1));
                        }
                    }
                }
            }
            return secretPages;
        } catch (SQLException e) {
            throw new dev.pipescope.error.StorageException("cannot read which tables hold secrets: " + e.getMessage(), e);
        }
    }

    /** Runs every statement in order on {@code connection}; the last one's result is the table. */
    private static Table executeAll(Connection connection, List<Statement> statements, List<Bound> bound) {
        Table last = null;
        for (int i = 0; i < statements.size(); i++) {
            refuseSecrets(connection, statements, bound, i);
            last = execute(connection, i, statements.get(i).text(), bound.get(i));
        }
        return last;
    }

    private static Table execute(Connection connection, int index, String sql, Bound bound) {
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
                return toTable(rs);
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

    /**
     * The statement with each {@code :name} replaced by {@code ?}, or by {@code ?, ?, ?} for a collection
     * or array of three, and the values to bind in order.
     *
     * @throws InvalidArgumentException for a parameter without a value, or a value that cannot be bound,
     *     naming the parameter and its type
     */
    static Bound bind(String sql, Map<String, ?> parameters) {
        StringBuilder out = new StringBuilder(sql.length());
        List<Object> values = new ArrayList<>();
        int copied = 0;
        for (Span span : spans(sql)) {
            if (!parameters.containsKey(span.name())) {
                throw new InvalidArgumentException("SQL parameter :" + span.name() + " has no value (given: "
                        + new java.util.TreeSet<>(parameters.keySet()) + ")");
            }
            out.append(sql, copied, span.start());
            Object value = parameters.get(span.name());
            List<?> elements = elements(value);
            if (elements == null) {
                out.append('?');
                values.add(jdbcValue(span.name(), value));
            } else {
                for (int i = 0; i < elements.size(); i++) {
                    out.append(i == 0 ? "?" : ", ?");
                    values.add(jdbcValue(span.name(), elements.get(i)));
                }
            }
            copied = span.end();
        }
        out.append(sql, copied, sql.length());
        return new Bound(out.toString(), values);
    }

    /** The elements of a collection or array (not {@code byte[]}, a BLOB); null for a single value. */
    private static List<?> elements(Object value) {
        if (value instanceof Collection<?> collection) {
            return new ArrayList<>(collection);
        }
        if (value != null && value.getClass().isArray() && !(value instanceof byte[])) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < java.lang.reflect.Array.getLength(value); i++) {
                list.add(java.lang.reflect.Array.get(value, i));
            }
            return list;
        }
        return null;
    }

    /** A value as SQLite stores it: text, integer, real, BLOB or NULL. */
    private static Object jdbcValue(String name, Object value) {
        if (value == null || value instanceof String || value instanceof Long || value instanceof Integer
                || value instanceof Short || value instanceof Byte || value instanceof Double || value instanceof Float
                || value instanceof byte[]) {
            return value;
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof CharSequence || value instanceof Character || value instanceof java.util.UUID
                || value instanceof java.time.LocalDate || value instanceof java.time.LocalDateTime) {
            return value.toString();
        }
        if (value instanceof java.time.Instant instant) {
            return dev.pipescope.domain.Timestamps.format(instant);
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        throw new InvalidArgumentException("SQL parameter :" + name + " is a " + value.getClass().getName()
                + ", which cannot be bound; bind text, a number, a boolean, byte[], an Instant, a LocalDate(Time), "
                + "an enum, or a collection or array of them (for IN (:" + name + "))");
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

    /** Replaces {@code :name} outside string literals, quoted names and comments by {@code ?}. */
    static Prepared parameters(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        List<String> names = new ArrayList<>();
        int copied = 0;
        for (Span span : spans(sql)) {
            out.append(sql, copied, span.start()).append('?');
            names.add(span.name());
            copied = span.end();
        }
        out.append(sql, copied, sql.length());
        return new Prepared(out.toString(), List.copyOf(names));
    }

    /** Where a {@code :name} parameter is in a statement ({@code end} exclusive). */
    private record Span(int start, int end, String name) {
    }

    /** The {@code :name} parameters outside string literals, quoted names and comments. */
    private static List<Span> spans(String sql) {
        List<Span> spans = new ArrayList<>();
        int i = 0;
        while (i < sql.length()) {
            int skipped = skipLiteralOrComment(sql, i);
            if (skipped > i) {
                i = skipped;
                continue;
            }
            char ch = sql.charAt(i);
            if (ch == ':' && i + 1 < sql.length() && Character.isJavaIdentifierStart(sql.charAt(i + 1))
                    && (i == 0 || sql.charAt(i - 1) != ':')) {
                int end = i + 1;
                while (end < sql.length() && Character.isJavaIdentifierPart(sql.charAt(end))) {
                    end++;
                }
                spans.add(new Span(i, end, sql.substring(i + 1, end)));
                i = end;
            } else {
                i++;
            }
        }
        return spans;
    }

    /** The index after the literal, quoted name or comment starting at {@code i}; {@code i} when none starts there. */
    private static int skipLiteralOrComment(String sql, int i) {
        char ch = sql.charAt(i);
        if (ch == '\'' || ch == '"' || ch == '`' || ch == '[') {
            int end = sql.indexOf(ch == '[' ? ']' : ch, i + 1);
            return end < 0 ? sql.length() : end + 1;
        }
        if (sql.startsWith("--", i)) {
            int end = sql.indexOf('\n', i);
            return end < 0 ? sql.length() : end;
        }
        if (sql.startsWith("/*", i)) {
            int end = sql.indexOf("*/", i + 2);
            return end < 0 ? sql.length() : end + 2;
        }
        return i;
    }

    /**
     * The statements of a cell, split at {@code ;} outside literals, quoted names and comments (a
     * {@code CREATE TRIGGER} runs on to its {@code END}); pieces holding only comments and space are no
     * statements.
     */
    static List<Statement> statements(String sql) {
        List<Statement> statements = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i <= sql.length()) {
            if (i < sql.length()) {
                int skipped = skipLiteralOrComment(sql, i);
                if (skipped > i) {
                    i = skipped;
                    continue;
                }
            }
            if (i == sql.length() || sql.charAt(i) == ';') {
                String piece = sql.substring(start, i);
                String code = withoutLeadingComments(piece);
                boolean openTrigger = i < sql.length() && TRIGGER_START.matcher(code).find()
                        && !ENDS_WITH_END.matcher(withoutComments(code)).find();
                if (!openTrigger) {
                    if (!code.isBlank()) {
                        int lead = piece.length() - code.length();
                        statements.add(new Statement(code.strip(), start + lead));
                    }
                    start = i + 1;
                }
            }
            i++;
        }
        return statements;
    }

    /** {@code sql} with its comments (outside literals) blanked out, so a trailing {@code -- end} is no END. */
    private static String withoutComments(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        while (i < sql.length()) {
            int skipped = skipLiteralOrComment(sql, i);
            if (skipped > i) {
                boolean comment = sql.startsWith("--", i) || sql.startsWith("/*", i);
                out.append(comment ? " " : sql.substring(i, skipped));
                i = skipped;
            } else {
                out.append(sql.charAt(i++));
            }
        }
        return out.toString();
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
