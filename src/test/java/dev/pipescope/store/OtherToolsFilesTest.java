package dev.pipescope.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

/**
 * Opening another tool's file read-write adds nothing to it and changes nothing in it: not a table, not a
 * row, not its journal mode (the fixtures under {@code real/} were written by the tools' own code).
 */
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

    /** The journal mode a file's header says it is in: WAL when its read/write versions are 2. */
    static String journalMode(Path file) throws java.io.IOException {
        try (var in = java.nio.file.Files.newInputStream(file)) {
            var header = in.readNBytes(20);
            return header[18] == 2 && header[19] == 2 ? "wal" : "rollback journal";
        }
    }

    @ParameterizedTest
    @CsvSource({"hyperpage.db, HYPERPAGE", "etl_core.db, ETL", "dagger_cache.db, DAGGER",
            "real/etl_core.db, ETL", "real/dagger_cache.db, DAGGER"})
    void aReadWriteOpenAddsNothingAndChangesNothing(String fixture, Layout layout) throws Exception {
        var file = java.nio.file.Files.copy(Fixtures.file(fixture), dir.resolve("copy.db"));
        var before = contents(file);
        var schemaBefore = Fixtures.schema(file);
        var modeBefore = journalMode(file);
        try (var db = Pipescope.open(file)) {
            assertEquals(java.util.Set.of(layout), db.layouts());
            assertFalse(db.runs().unified(RunFilter.capped()).isEmpty());
            assertThrows(dev.pipescope.error.LayoutNotPresentException.class,
                    () -> db.runs().start("01K00000000000000000000000"));
        }
        assertEquals(before, contents(file));
        assertEquals(schemaBefore, Fixtures.schema(file));
        assertEquals(modeBefore, journalMode(file), "journal mode");
        assertEquals(List.of(), List.of(java.nio.file.Files.list(dir).map(Path::getFileName).map(Path::toString)
                .filter(name -> !name.equals("copy.db")).toArray()), "files left beside it");
    }
}
