package dev.pipescope.source.dagger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import dev.pipescope.Pipescope;
import dev.pipescope.domain.ExecutionStateType;
import dev.pipescope.domain.SnapshotInfo;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged payloads in a copy of dagger's file: each read names the DAG, table, row and what failed;
 * listing and the summary still work; the file's bytes are the same afterwards.
 */
class DagCorruptionTest {
    @TempDir
    Path dir;
    Path file;
    long truncatedSnapshotRow;
    long badFrameSnapshotRow;
    long badArtifactRow;

    private void update(String sql, Object... args) throws SQLException {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            assertEquals(1, ps.executeUpdate(), sql);
        }
    }

    private long rowid(String sql) throws SQLException {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement();
             var rs = st.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }

    @BeforeEach
    void damageACopy() throws Exception {
        file = Fixtures.copy("dagger_cache.db", dir);
        // a zstd header followed by garbage
        update("UPDATE execution_trees SET tree_data = ? WHERE dag_id = 'train_model'",
                new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0x60, 0x37, 0x06, 1, 2, 3, 4, 5, 6, 7});
        // valid zstd twice over JSON cut in the middle
        byte[] truncated = "{\"train_fetch\":{\"output\":{\"value\":977".getBytes(StandardCharsets.UTF_8);
        truncatedSnapshotRow = rowid("SELECT id FROM snapshots WHERE dag_id = 'train_model' ORDER BY created_at LIMIT 1 OFFSET 1");
        update("UPDATE snapshots SET snapshot_data = ? WHERE id = ?",
                Zstd.compress(Zstd.compress(truncated, 3), 3), truncatedSnapshotRow);
        // the outer frame cut short
        badFrameSnapshotRow = rowid("SELECT id FROM snapshots WHERE dag_id = 'train_model' ORDER BY created_at LIMIT 1 OFFSET 2");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var ps = c.prepareStatement(
                "UPDATE snapshots SET snapshot_data = substr(snapshot_data, 1, 20) WHERE id = ?")) {
            ps.setLong(1, badFrameSnapshotRow);
            assertEquals(1, ps.executeUpdate());
        }
        badArtifactRow = rowid("SELECT rowid FROM artifacts WHERE dag_id = 'etl_daily' LIMIT 1");
        update("UPDATE artifacts SET value = '{\"value\": [1, 2' WHERE rowid = ?", badArtifactRow);
        update("UPDATE execution_state SET state_data = ? WHERE dag_id = 'nightly_report' AND state_type = 'active'",
                "{\"status\":\"Running\"}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void eachDamagedPayloadGetsATypedErrorNamingWhereAndWhat() {
        var before = Fixtures.sha256(file);
        try (var db = Pipescope.openReadOnly(file)) {
            var dags = db.dags();
            var tree = assertThrows(CorruptDataException.class, () -> dags.loadExecutionTree("train_model"));
            assertMentions(tree, "execution_trees row 1", "dag 'train_model'", file.toString(), "bad zstd frame");

            var truncated = assertThrows(CorruptDataException.class,
                    () -> dags.loadSnapshot("train_model", truncatedSnapshotRow));
            assertMentions(truncated, "snapshots row " + truncatedSnapshotRow, "dag 'train_model'", "truncated JSON");

            var frame = assertThrows(CorruptDataException.class,
                    () -> dags.loadSnapshot("train_model", badFrameSnapshotRow));
            assertMentions(frame, "snapshots row " + badFrameSnapshotRow, "bad zstd frame");

            var artifact = assertThrows(CorruptDataException.class, () -> dags.loadCache("etl_daily"));
            assertMentions(artifact, "artifacts row " + badArtifactRow, "dag 'etl_daily'", "invalid JSON");

            var state = assertThrows(CorruptDataException.class,
                    () -> dags.loadExecutionState("nightly_report", ExecutionStateType.ACTIVE));
            assertMentions(state, "execution_state row", "dag 'nightly_report'", "state_type 'active'", "not zstd data");

            // what is intact still reads
            assertEquals(5, dags.loadExecutionTree("nightly_report").orElseThrow().nodes().size());
            assertFalse(dags.loadCache("train_model").isEmpty());
            assertEquals(5, dags.loadLatestSnapshot("train_model").orElseThrow().nodeIds().size());
        }
        assertEquals(before, Fixtures.sha256(file));
    }

    @Test
    void listingShowsTheBadRowsAsUnreadableAndTheSummaryStillCountsThem() {
        var before = Fixtures.sha256(file);
        try (var db = Pipescope.openReadOnly(file)) {
            var listed = db.dags().listSnapshots("train_model");
            assertEquals(4, listed.size());
            assertEquals(2, listed.stream().filter(SnapshotInfo::readable).count());
            var truncated = listed.get(1);
            assertEquals(truncatedSnapshotRow, truncated.id());
            assertFalse(truncated.readable());
            assertTrue(truncated.rawBytes().isEmpty());
            assertTrue(truncated.nodeCount().isEmpty());
            assertTrue(truncated.createdAt().isPresent());
            assertTrue(truncated.problem().orElseThrow().contains("truncated JSON"), truncated.problem().orElseThrow());
            var frame = listed.get(2);
            assertEquals(20, frame.compressedBytes());
            assertTrue(frame.problem().orElseThrow().contains("bad zstd frame"), frame.problem().orElseThrow());
            var summary = db.dags().summary();
            assertEquals(3, summary.size());
            assertEquals(4, summary.stream().filter(s -> s.dagId().equals("train_model")).findFirst().orElseThrow()
                    .snapshotCount());
        }
        assertEquals(before, Fixtures.sha256(file));
    }

    @Test
    void walkingEverySnapshotStopsAtTheFirstBadOneNamingItsRow() {
        try (var db = Pipescope.openReadOnly(file)) {
            var seen = new java.util.ArrayList<Long>();
            var e = assertThrows(dev.pipescope.error.CorruptDataException.class,
                    () -> db.dags().forEachSnapshot("train_model", (info, cache) -> seen.add(info.id())));
            assertEquals(java.util.List.of(db.dags().listSnapshots("train_model").get(0).id()), seen);
            assertMentions(e, "snapshots", "train_model", String.valueOf(truncatedSnapshotRow));
        }
    }

    @Test
    void aFailedReadOnAReadWriteDatabaseChangesNoRow() throws Exception {
        byte[] treeBefore;
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement();
             var rs = st.executeQuery("SELECT tree_data FROM execution_trees WHERE dag_id = 'train_model'")) {
            treeBefore = rs.getBytes(1);
        }
        try (var db = Pipescope.open(file)) {
            assertThrows(CorruptDataException.class, () -> db.dags().loadExecutionTree("train_model"));
            assertThrows(CorruptDataException.class, () -> db.dags().loadCache("etl_daily"));
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement();
             var rs = st.executeQuery("SELECT tree_data FROM execution_trees WHERE dag_id = 'train_model'")) {
            assertArrayEquals(treeBefore, rs.getBytes(1));
        }
    }

    @Test
    void aTreeWhoseEdgesPointAtMissingNodesIsCorrupt() throws Exception {
        var json = "{\"nodes\":[],\"edges\":[[0,1,{\"parent\":\"a\",\"label\":\"executed_after\"}]]}";
        update("UPDATE execution_trees SET tree_data = ? WHERE dag_id = 'etl_daily'",
                Zstd.compress(json.getBytes(StandardCharsets.UTF_8), 3));
        try (var db = Pipescope.openReadOnly(file)) {
            var error = assertThrows(CorruptDataException.class, () -> db.dags().loadExecutionTree("etl_daily"));
            assertMentions(error, "execution_trees row", "dag 'etl_daily'", "refers to a node index");
        }
    }

    private static void assertMentions(Exception error, String... parts) {
        var message = error.getMessage();
        assertTrue(Arrays.stream(parts).allMatch(message::contains), "message '" + message + "' should mention "
                + Arrays.toString(parts));
    }
}
