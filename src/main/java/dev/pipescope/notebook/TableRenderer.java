package dev.pipescope.notebook;

import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders tablesaw tables for people: an HTML table for notebooks and an aligned text table for
 * jshell and {@code text/plain}. Long tables show their first and last rows and say how many are left
 * out, so a table of any size renders in time proportional to the rows shown.
 */
public final class TableRenderer {

    /** Rows shown when a call does not say: the first and last half of it. */
    public static final int DEFAULT_MAX_ROWS = 20;
    /** Longest cell text shown; longer values are cut with an ellipsis (the table keeps them whole). */
    static final int MAX_CELL_CHARS = 120;

    static final String STYLE = """
            <style>
            .pipescope-table table{border-collapse:collapse;font-family:var(--jp-code-font-family,monospace);\
            font-size:12px;color:inherit;background:transparent}
            .pipescope-table th{text-align:left !important;border-bottom:2px solid rgba(128,128,128,.6);padding:2px 8px}
            .pipescope-table td{border-bottom:1px solid rgba(128,128,128,.25);padding:2px 8px;white-space:nowrap;text-align:left !important}
            .pipescope-table td.num{text-align:right !important}
            .pipescope-table th.num{text-align:right !important}
            .pipescope-table tr.pipescope-more td{text-align:center;font-style:italic;opacity:.7}
            .pipescope-table .pipescope-caption{font-size:11px;opacity:.7;margin:2px 0}
            </style>""";

    private TableRenderer() {
    }

    /** Which row indexes are shown, and where the gap is (-1: none). */
    private record Shown(int[] rows, int gapAfter, int hidden) {
        static Shown of(int rowCount, int maxRows) {
            int limit = Math.max(2, maxRows);
            if (rowCount <= limit) {
                int[] all = new int[rowCount];
                for (int i = 0; i < rowCount; i++) {
                    all[i] = i;
                }
                return new Shown(all, -1, 0);
            }
            int head = (limit + 1) / 2;
            int tail = limit - head;
            int[] rows = new int[head + tail];
            for (int i = 0; i < head; i++) {
                rows[i] = i;
            }
            for (int i = 0; i < tail; i++) {
                rows[head + i] = rowCount - tail + i;
            }
            return new Shown(rows, head - 1, rowCount - head - tail);
        }
    }

    public static String html(Table table) {
        return html(table, DEFAULT_MAX_ROWS);
    }

    public static String html(Table table, int maxRows) {
        Shown shown = Shown.of(table.rowCount(), maxRows);
        List<Column<?>> columns = table.columns();
        List<Formats.Kind> kinds = kinds(columns);
        StringBuilder out = new StringBuilder(2048 + shown.rows.length * columns.size() * 24);
        out.append("<div class=\"pipescope-table\">").append(STYLE);
        out.append("<div class=\"pipescope-caption\">").append(escape(table.name() == null ? "" : table.name()))
                .append(' ').append(table.rowCount()).append(table.rowCount() == 1 ? " row" : " rows")
                .append(" × ").append(columns.size()).append(" columns</div>");
        out.append("<table><thead><tr>");
        for (Column<?> column : columns) {
            out.append(isNumeric(column) ? "<th class=\"num\">" : "<th>").append(escape(column.name())).append("</th>");
        }
        out.append("</tr></thead><tbody>");
        for (int i = 0; i < shown.rows.length; i++) {
            int row = shown.rows[i];
            out.append("<tr>");
            for (int c = 0; c < columns.size(); c++) {
                Column<?> column = columns.get(c);
                out.append(isNumeric(column) ? "<td class=\"num\">" : "<td>")
                        .append(escape(cell(column, row, kinds.get(c)))).append("</td>");
            }
            out.append("</tr>");
            if (i == shown.gapAfter) {
                out.append("<tr class=\"pipescope-more\"><td colspan=\"").append(columns.size()).append("\">… ")
                        .append(shown.hidden).append(" more rows …</td></tr>");
            }
        }
        out.append("</tbody></table></div>");
        return out.toString();
    }

    public static String text(Table table) {
        return text(table, DEFAULT_MAX_ROWS);
    }

    public static String text(Table table, int maxRows) {
        Shown shown = Shown.of(table.rowCount(), maxRows);
        List<Column<?>> columns = table.columns();
        List<Formats.Kind> kinds = kinds(columns);
        List<String[]> lines = new ArrayList<>();
        String[] header = new String[columns.size()];
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            header[c] = columns.get(c).name();
            widths[c] = header[c].length();
        }
        for (int row : shown.rows) {
            String[] cells = new String[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                cells[c] = cell(columns.get(c), row, kinds.get(c)).replace('\n', ' ');
                widths[c] = Math.max(widths[c], cells[c].length());
            }
            lines.add(cells);
        }
        StringBuilder out = new StringBuilder();
        if (table.name() != null && !table.name().isBlank()) {
            out.append(table.name()).append(": ");
        }
        out.append(table.rowCount()).append(table.rowCount() == 1 ? " row" : " rows").append('\n');
        appendLine(out, header, widths, columns);
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            rule.append(c == 0 ? "" : "  ").append("-".repeat(widths[c]));
        }
        out.append(rule).append('\n');
        for (int i = 0; i < lines.size(); i++) {
            appendLine(out, lines.get(i), widths, columns);
            if (i == shown.gapAfter) {
                out.append("… ").append(shown.hidden).append(" more rows …\n");
            }
        }
        return out.toString();
    }

    private static void appendLine(StringBuilder out, String[] cells, int[] widths, List<Column<?>> columns) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                line.append("  ");
            }
            String pad = " ".repeat(widths[c] - cells[c].length());
            // numbers and their headers align right, text and its headers left
            line.append(isNumeric(columns.get(c)) ? pad + cells[c] : cells[c] + pad);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static List<Formats.Kind> kinds(List<Column<?>> columns) {
        return columns.stream().map(c -> Formats.kindOf(c.name())).toList();
    }

    private static boolean isNumeric(Column<?> column) {
        return column instanceof tech.tablesaw.api.NumericColumn<?>;
    }

    static String cell(Column<?> column, int row, Formats.Kind kind) {
        if (column.isMissing(row)) {
            return "";
        }
        String text = Formats.value(column.get(row), kind);
        return text.length() > MAX_CELL_CHARS ? text.substring(0, MAX_CELL_CHARS - 1) + "…" : text;
    }

    /** Escapes text for HTML element content and attribute values. */
    public static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            String replacement = switch (ch) {
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '&' -> "&amp;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(ch);
                }
            }
        }
        return out == null ? text : out.toString();
    }
}
