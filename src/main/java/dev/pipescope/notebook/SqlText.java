package dev.pipescope.notebook;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Splitting a cell into statements, skipping comments and literals, and finding its {@code :name} parameters: the text of SQL, before SQLite sees it. */
final class SqlText {
    private SqlText() {
    }

    static final Pattern QUERY_START = Pattern.compile("^(SELECT|WITH|VALUES|EXPLAIN)\\b", Pattern.CASE_INSENSITIVE);

    static final Pattern TRIGGER_START = Pattern.compile("^CREATE\\s+(TEMP\\s+|TEMPORARY\\s+)?TRIGGER\\b",
            Pattern.CASE_INSENSITIVE);

    static final Pattern ENDS_WITH_END = Pattern.compile("\\bEND\\s*$", Pattern.CASE_INSENSITIVE);

    /** A statement with {@code :name} parameters turned into positional ones. */
    record Prepared(String jdbcSql, List<String> names) {
    }

    /** One statement of a cell: its text and where it starts in the cell (for the caret of an error). */
    record Statement(String text, int offset) {
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
    record Span(int start, int end, String name) {
    }

    /** The {@code :name} parameters outside string literals, quoted names and comments. */
    static List<Span> spans(String sql) {
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
    static int skipLiteralOrComment(String sql, int i) {
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
    static String withoutComments(String sql) {
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

    static String firstLine(String sql) {
        String line = sql.lines().findFirst().orElse("");
        return line.length() > 60 ? line.substring(0, 59) + "…" : line;
    }
}
