package dev.pipescope.notebook;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** A result set as a tablesaw table, typed from every row's values (never the first row alone), with declared types for columns without values. */
final class SqlResultTables {
    private SqlResultTables() {
    }

    static Table toTable(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int count = meta.getColumnCount();
        List<List<Object>> values = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            values.add(new ArrayList<>());
        }
        String[] types = new String[count];
        for (int c = 0; c < count; c++) {
            types[c] = declaredType(meta, c + 1);
        }
        while (rs.next()) {
            for (int c = 0; c < count; c++) {
                values.get(c).add(value(rs, c + 1, types[c]));
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

    /**
     * A cell's value. PostgreSQL's times are shown in ISO form, never through {@code java.sql.Timestamp}'s text in this
     * machine's zone: {@code timestamptz} as the UTC instant ({@code 2025-11-19T09:00:05Z}), {@code timestamp} as
     * the local date-time it holds. Every other value (SQLite's text, numbers and bytes) as the driver gives it.
     */
    static Object value(ResultSet rs, int column, String declared) throws SQLException {
        Object value = rs.getObject(column);
        if (!(value instanceof java.sql.Timestamp)) {
            return value;
        }
        if ("TIMESTAMPTZ".equals(declared)) {
            return rs.getObject(column, java.time.OffsetDateTime.class).toInstant().toString();
        }
        if ("TIMESTAMP".equals(declared)) {
            return rs.getObject(column, java.time.LocalDateTime.class).toString();
        }
        return value;
    }

    static String declaredType(ResultSetMetaData meta, int column) {
        try {
            String type = meta.getColumnTypeName(column);
            return type == null ? "" : type.toUpperCase(Locale.ROOT);
        } catch (SQLException e) {
            return "";
        }
    }

    static String unique(String name, List<String> used) {
        String candidate = name == null || name.isBlank() ? "column" : name;
        String base = candidate;
        int n = 2;
        while (used.contains(candidate)) {
            candidate = base + "_" + n++;
        }
        used.add(candidate);
        return candidate;
    }

    static Column<?> column(String name, String declared, List<Object> values) {
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
}
