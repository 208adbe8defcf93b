package dev.pipescope.sqlite;

import dev.pipescope.domain.Layout;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads which tables and columns a file holds and which known layouts they make up. Works on a
 * read-only connection, so a file can be judged before anything writes to it.
 */
public final class SchemaInspector {

    private SchemaInspector() {}

    /** The file's own tables (not SQLite's internal ones) with their column names, by table name. */
    public static Map<String, Set<String>> tables(Connection connection) throws SQLException {
        var result = new TreeMap<String, Set<String>>();
        try (var st = connection.createStatement();
             var rs = st.executeQuery(SchemaSql.TABLES)) {
            while (rs.next()) {
                result.put(rs.getString(1), new LinkedHashSet<>());
            }
        }
        for (var entry : result.entrySet()) {
            try (var ps = connection.prepareStatement(SchemaSql.COLUMNS)) {
                ps.setString(1, entry.getKey());
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        entry.getValue().add(rs.getString(1));
                    }
                }
            }
        }
        return result;
    }

    /**
     * The layouts whose tables are all present with at least their required columns.
     *
     * @param signatures per layout, its tables and the columns each must have
     */
    public static Set<Layout> layouts(Map<String, Set<String>> tables, Map<Layout, Map<String, Set<String>>> signatures) {
        var found = EnumSet.noneOf(Layout.class);
        for (var signature : signatures.entrySet()) {
            boolean complete = signature.getValue().entrySet().stream()
                    .allMatch(t -> tables.containsKey(t.getKey()) && tables.get(t.getKey()).containsAll(t.getValue()));
            if (complete) {
                found.add(signature.getKey());
            }
        }
        return found;
    }

    /**
     * Why a file is none of the layouts it partly holds: per layout that shares at least one table with
     * the file, each missing table and each present table's missing columns, e.g.
     * {@code "ADAPTIVE_PIPELINE: pipeline_stages lacks columns [archived]"}. Layouts the file shares no
     * table with, and layouts it holds, are left out.
     *
     * @param signatures per layout, its tables and the columns each must have
     */
    public static List<String> nearMisses(Map<String, Set<String>> tables,
                                          Map<Layout, Map<String, Set<String>>> signatures) {
        var misses = new java.util.ArrayList<String>();
        for (var signature : new java.util.TreeMap<>(signatures).entrySet()) {
            var problems = new java.util.ArrayList<String>();
            boolean shares = false;
            for (var required : new java.util.TreeMap<>(signature.getValue()).entrySet()) {
                var present = tables.get(required.getKey());
                if (present == null) {
                    problems.add("no table " + required.getKey());
                    continue;
                }
                shares = true;
                var missing = new java.util.TreeSet<>(required.getValue());
                missing.removeAll(present);
                if (!missing.isEmpty()) {
                    problems.add(required.getKey() + " lacks columns " + missing);
                }
            }
            if (shares && !problems.isEmpty()) {
                misses.add(signature.getKey() + ": " + String.join(", ", problems));
            }
        }
        return misses;
    }

    /**
     * Problems with tables that Pipescope's migrations would create or write, where the file already has
     * a table of that name with other columns: {@code "pipelines lacks columns [archived]"}.
     */
    public static List<String> conflicts(Map<String, Set<String>> tables, Map<Layout, Map<String, Set<String>>> ours) {
        var problems = new java.util.ArrayList<String>();
        for (var signature : ours.values()) {
            for (var required : signature.entrySet()) {
                var present = tables.get(required.getKey());
                if (present != null && !present.containsAll(required.getValue())) {
                    var missing = new java.util.TreeSet<>(required.getValue());
                    missing.removeAll(present);
                    problems.add(required.getKey() + " lacks columns " + missing);
                }
            }
        }
        return problems;
    }
}
