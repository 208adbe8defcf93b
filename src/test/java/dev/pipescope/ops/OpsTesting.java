package dev.pipescope.ops;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.Pipeline;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Databases with known content, and independent ways to read them back (plain JDBC, not the code under test). */
final class OpsTesting {
    private OpsTesting() {}

    /** A Pipescope database with {@code pipelines} pipelines named p0, p1..., closed again. */
    static Path database(Path dir, String name, int pipelines) {
        var file = dir.resolve(name);
        try (var db = Pipescope.open(file)) {
            var batch = new ArrayList<Pipeline>();
            for (int i = 0; i < pipelines; i++) {
                batch.add(Pipeline.builder("p" + i).config("n", String.valueOf(i)).build());
            }
            db.pipelines().saveAll(batch);
        }
        return file;
    }

    static long size(Path file) {
        try {
            return java.nio.file.Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<String> pipelineNames(Path file) {
        return strings(file, "SELECT name FROM pipelines ORDER BY name");
    }

    static long count(Path file, String table) {
        return Long.parseLong(strings(file, "SELECT count(*) FROM " + table).get(0));
    }

    static Map<String, Long> rowCounts(Path file) {
        var counts = new TreeMap<String, Long>();
        for (var table : strings(file, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")) {
            counts.put(table, count(file, "\"" + table + "\""));
        }
        return counts;
    }

    /**
     * Everything a file holds, independent of its page layout and header: the schema and every row of
     * every table (rows sorted), for comparing a restored file with its backup.
     */
    static Map<String, List<String>> contents(Path file) {
        var contents = new TreeMap<String, List<String>>();
        contents.put("sqlite_master", strings(file, "SELECT type || ' ' || name || ' ' || coalesce(sql, '') "
                + "FROM sqlite_master ORDER BY type, name"));
        for (var table : strings(file, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")) {
            try (var c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
                 var st = c.createStatement(); var rs = st.executeQuery("SELECT * FROM \"" + table + "\"")) {
                var rows = new ArrayList<String>();
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    var row = new StringBuilder();
                    for (int i = 1; i <= columns; i++) {
                        var bytes = rs.getBytes(i);
                        row.append(bytes == null ? "NULL" : java.util.HexFormat.of().formatHex(bytes)).append('|');
                    }
                    rows.add(row.toString());
                }
                rows.sort(null);
                contents.put(table, rows);
            } catch (SQLException e) {
                throw new IllegalStateException(table + " in " + file + ": " + e.getMessage(), e);
            }
        }
        return contents;
    }

    static List<String> strings(Path file, String sql) {
        try (var c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
             var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            var values = new ArrayList<String>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " on " + file + ": " + e.getMessage(), e);
        }
    }
}
