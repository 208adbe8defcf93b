package dev.pipescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.ops.Backups;
import dev.pipescope.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database with a corrupt page: a backup is still taken but says so (metadata, warning, exit 1), and
 * migrate refuses to write into it (exit 1), leaving it unchanged.
 */
class CorruptSourceTest {
    @TempDir
    Path dir;
    Path database;

    @BeforeEach
    void corruptDatabase() throws Exception {
        database = dir.resolve("corrupt.db");
        try (var db = Pipescope.open(database)) {
            var batch = new ArrayList<Pipeline>();
            for (int i = 0; i < 2_000; i++) {
                batch.add(Pipeline.builder("p" + i).config("padding", "x".repeat(100)).build());
            }
            db.pipelines().saveAll(batch);
        }
        long root;
        int pageSize;
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + database); var st = c.createStatement()) {
            st.execute("PRAGMA journal_mode = DELETE"); // everything in the main file, nothing in a WAL
            try (var rs = st.executeQuery("SELECT rootpage FROM sqlite_master WHERE name = 'pipelines'")) {
                rs.next();
                root = rs.getLong(1);
            }
            try (var rs = st.executeQuery("PRAGMA page_size")) {
                rs.next();
                pageSize = rs.getInt(1);
            }
        }
        // an interior b-tree page whose cell count and first free block point nowhere
        try (var raf = new RandomAccessFile(database.toFile(), "rw")) {
            raf.seek((root - 1) * pageSize);
            raf.write(new byte[] {0x05, (byte) 0xFF, (byte) 0xF0, (byte) 0xFF, (byte) 0xF0, 0, 0, 0});
        }
    }

    @Test
    void backupOfACorruptFileIsTakenButMarkedAndWarned() {
        var err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "backup", database.toString(), "--no-progress");
        var said = err.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCodes.CHECK_FAILED, code, said);
        assertTrue(said.contains("warning") && said.contains("fails quick_check"), said);
        var backups = Backups.forFile(database).list();
        assertEquals(1, backups.size(), "the backup was taken all the same");
        var metadata = backups.get(0).metadata().orElseThrow();
        assertFalse(metadata.sourceIntact());
        assertNotEquals(List.of("ok"), metadata.quickCheck());
        assertFalse(Backups.forFile(database).validate(backups.get(0)).ok(), "and it does not pass verify");
    }

    @Test
    void migrateRefusesACorruptFileAndLeavesIt() {
        var before = Fixtures.sha256(database);
        var err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "migrate", database.toString());
        var said = err.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCodes.CHECK_FAILED, code, said);
        assertTrue(said.contains("quick_check"), said);
        assertEquals(before, Fixtures.sha256(database));
    }
}
