package dev.pipescope.testing;

import dev.pipescope.Secret;
import dev.pipescope.ServerTarget;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a PostgreSQL database holds, to prove a call changed nothing: every relation, column, index, sequence
 * value, and a digest of every table's rows, read with the superuser's own connection (not Pipescope's).
 */
public final class PostgresState {
    private PostgresState() {}

    /** By name ({@code table public.jobs}, {@code rows public.jobs}, {@code sequence public.jobs_id_seq}...), what it holds. */
    public static Map<String, String> of(ServerTarget target) {
        var state = new TreeMap<String, String>();
        try (var c = DriverManager.getConnection(target.jdbcUrl(), target.user().orElse(null),
                target.password().map(Secret::reveal).orElse(null))) {
            var tables = new ArrayList<String>();
            try (var rs = c.createStatement().executeQuery("""
                    SELECT n.nspname, c.relname, c.relkind,
                           (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', '
                                              ORDER BY a.attnum)
                            FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
                      AND n.nspname NOT LIKE 'pg_temp%'""")) {
                while (rs.next()) {
                    var name = rs.getString(1) + "." + rs.getString(2);
                    state.put(kind(rs.getString(3)) + " " + name, String.valueOf(rs.getString(4)));
                    if ("r".equals(rs.getString(3))) {
                        tables.add("\"" + rs.getString(1) + "\".\"" + rs.getString(2) + "\"");
                    } else if ("S".equals(rs.getString(3))) {
                        try (var seq = c.createStatement().executeQuery(
                                "SELECT last_value, is_called FROM \"" + rs.getString(1) + "\".\"" + rs.getString(2) + "\"")) {
                            seq.next();
                            state.put("value " + name, seq.getLong(1) + (seq.getBoolean(2) ? " called" : ""));
                        }
                    }
                }
            }
            for (var table : tables) {
                try (var rs = c.createStatement().executeQuery("SELECT count(*), md5(COALESCE(string_agg(CAST(t AS text), "
                        + "'|' ORDER BY CAST(t AS text)), '')) FROM " + table + " t")) {
                    rs.next();
                    state.put("rows " + table, rs.getLong(1) + " " + rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the state of " + target.location() + ": " + e.getMessage(), e);
        }
        return state;
    }

    private static String kind(String relkind) {
        return switch (relkind) {
            case "r" -> "table";
            case "i" -> "index";
            case "S" -> "sequence";
            case "v" -> "view";
            case "m" -> "materialized view";
            default -> "relation(" + relkind + ")";
        };
    }
}
