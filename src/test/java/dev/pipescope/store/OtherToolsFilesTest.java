package dev.pipescope.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.testing.Fixtures;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Opening another tool's file read-write adds Pipescope's tables and never alters the tool's own. */
class OtherToolsFilesTest {
    @TempDir
    Path dir;

    /** Every table's definition and rows (as text, in rowid order), by table name. */
    static Map<String, List<String>> contents(Path file) throws SQLException {
        var result = new TreeMap<String, List<String>>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            var tables = new ArrayList<String[]>();
            try (var rs = c.createStatement().executeQuery(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
                while (rs.next()) {
                    tables.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            for (var table : tables) {
                var rows = new ArrayList<String>();
                rows.add(table[1]);
                try (var rs = c.createStatement().executeQuery("SELECT * FROM \"" + table[0] + "\"")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        var row = new StringBuilder();
                        for (int i = 1; i <= columns; i++) {
                            var bytes = rs.getBytes(i);
                            row.append(bytes == null ? "NULL" : java.util.HexFormat.of().formatHex(bytes)).append('|');
                        }
                        rows.add(row.toString());
                    }
                }
                result.put(table[0], rows);
            }
        }
        return result;
    }

    @ParameterizedTest
    @CsvSource({"hyperpage.db, HYPERPAGE", "etl_core.db, ETL", "dagger_cache.db, DAGGER"})
    void theToolsTablesStayAsTheyWere(String fixture, Layout layout) throws SQLException {
        var file = Fixtures.copy(fixture, dir);
        var before = contents(file);
        try (var db = Pipescope.open(file)) {
            assertTrue(db.layouts().contains(layout), db.layouts().toString());
            assertTrue(db.layouts().contains(Layout.RUN_HISTORY));
            assertFalse(db.runs().unified(RunFilter.capped()).isEmpty());
        }
        var after = contents(file);
        before.forEach((table, rows) -> assertEquals(rows, after.get(table), "table " + table + " changed"));
        assertTrue(after.containsKey("pipeline_runs"));
    }
}
