package dev.pipescope.source.dagger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.domain.DagCache;
import dev.pipescope.domain.DagSummary;
import dev.pipescope.domain.ExecutionStateType;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.SnapshotInfo;
import dev.pipescope.domain.TreeNode;
import dev.pipescope.error.LayoutNotPresentException;
import dev.pipescope.error.ReadOnlyViolationException;
import dev.pipescope.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every read path on copies of dagger's own files, in both snapshot layouts, checked against an
 * independent decoding (plain JDBC, zstd-jni and Jackson in this test), and the files left unchanged.
 */
class DaggerFixturesTest {
    private static final ObjectMapper PLAIN = new ObjectMapper();
    @TempDir
    Path dir;

    // ---- independent decoding --------------------------------------------------------------------

    private static Connection raw(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    /** What dagger's zstd::decode_all does: stream one frame, sizes declared or not. */
    private static byte[] unzstd(byte[] blob) throws java.io.IOException {
        try (var in = new com.github.luben.zstd.ZstdInputStream(new java.io.ByteArrayInputStream(blob))) {
            return in.readAllBytes();
        }
    }

    private static JsonNode parse(byte[] bytes) throws Exception {
        return PLAIN.readTree(bytes);
    }

    private record RawSnapshot(long rowId, String createdAt, byte[] data) {}

    private static List<RawSnapshot> rawSnapshots(Path file, String dag) throws SQLException {
        var rows = new ArrayList<RawSnapshot>();
        try (var c = raw(file); var ps = c.prepareStatement(
                "SELECT rowid, created_at, snapshot_data FROM snapshots WHERE dag_id = ? ORDER BY created_at")) {
            ps.setString(1, dag);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new RawSnapshot(rs.getLong(1), rs.getString(2), rs.getBytes(3)));
                }
            }
        }
        return rows;
    }

    /** The JSON inside a snapshot: dagger compressed it twice. */
    private static byte[] snapshotJson(byte[] data) throws java.io.IOException {
        return unzstd(unzstd(data));
    }

    private static DagCache cacheOf(JsonNode snapshot) {
        var builder = DagCache.builder();
        for (Iterator<Map.Entry<String, JsonNode>> nodes = snapshot.fields(); nodes.hasNext(); ) {
            var node = nodes.next();
            node.getValue().fields().forEachRemaining(k -> builder.put(node.getKey(), k.getKey(), k.getValue().get("value")));
        }
        return builder.build();
    }

    private static List<String> rawDagIds(Path file) throws SQLException {
        var ids = new TreeSet<String>();
        try (var c = raw(file); var st = c.createStatement()) {
            for (var table : List.of("artifacts", "execution_trees", "snapshots", "execution_state")) {
                try (var rs = st.executeQuery("SELECT DISTINCT dag_id FROM " + table)) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
        }
        return List.copyOf(ids);
    }

    // ---- reading ---------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"dagger_cache.db", "dagger_cache_legacy.db"})
    void everyReadPathMatchesAnIndependentDecodingAndLeavesTheFileUnchanged(String fixture) throws Exception {
        var file = Fixtures.copy(fixture, dir);
        var before = Fixtures.sha256(file);
        var dagIds = rawDagIds(file);
        assertEquals(3, dagIds.size());
        try (var db = Pipescope.openReadOnly(file)) {
            assertTrue(db.layouts().contains(Layout.DAGGER));
            var dags = db.dags();
            assertEquals(dagIds, dags.dagIds());
            assertEquals(fixture.contains("legacy"), ((SqlDagStore) dags).legacySnapshotLayout());
            for (var dag : dagIds) {
                checkCache(file, db, dag);
                checkTree(file, db, dag);
                checkSnapshots(file, db, dag);
                checkState(db, dag);
            }
            checkSummary(file, db.dags().summary());
            assertThrows(ReadOnlyViolationException.class,
                    () -> db.dags().setJson(dagIds.get(0), "n", "k", IntNode.valueOf(1)));
        }
        assertEquals(before, Fixtures.sha256(file));
    }

    private void checkCache(Path file, PipescopeDatabase db, String dag) throws Exception {
        var expected = DagCache.builder();
        int rows = 0;
        try (var c = raw(file); var ps = c.prepareStatement("SELECT node_id, key, value FROM artifacts WHERE dag_id = ?")) {
            ps.setString(1, dag);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    expected.put(rs.getString(1), rs.getString(2), PLAIN.readTree(rs.getString(3)).get("value"));
                    rows++;
                }
            }
        }
        var cache = db.dags().loadCache(dag);
        assertEquals(expected.build(), cache);
        assertEquals(rows, cache.size());
        var node = cache.entries().firstKey();
        var key = cache.entries().get(node).firstKey();
        assertEquals(cache.entries().get(node).get(key), db.dags().getJson(dag, node, key).orElseThrow());
    }

    private void checkTree(Path file, PipescopeDatabase db, String dag) throws Exception {
        JsonNode expected;
        try (var c = raw(file); var ps = c.prepareStatement("SELECT tree_data FROM execution_trees WHERE dag_id = ?")) {
            ps.setString(1, dag);
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next());
                expected = parse(unzstd(rs.getBytes(1)));
            }
        }
        var tree = db.dags().loadExecutionTree(dag).orElseThrow();
        assertEquals(expected.get("nodes").size(), tree.nodes().size());
        for (int i = 0; i < tree.nodes().size(); i++) {
            var raw = expected.get("nodes").get(i);
            var node = tree.nodes().get(i);
            assertEquals(raw.get(0).intValue(), node.index());
            var n = raw.get(1);
            assertEquals(n.get("node_id").asText(), node.nodeId());
            assertEquals(n.get("outcome").get("success").booleanValue(), node.success());
            var retries = new ArrayList<String>();
            n.get("outcome").get("retry_messages").forEach(m -> retries.add(m.asText()));
            assertEquals(retries, node.retryMessages());
            assertEquals(n.get("outcome").get("final_error").isNull(), node.finalError().isEmpty());
            assertEquals(n.get("cache_ref").asText(), node.cacheRef());
            assertEquals(n.get("timestamp").asText(), DaggerFormat.formatNaive(node.timestamp()));
            assertEquals(n.get("channel").isNull() ? Optional.empty() : Optional.of(n.get("channel").asText()),
                    node.channel());
        }
        assertEquals(expected.get("edges").size(), tree.edges().size());
        for (int i = 0; i < tree.edges().size(); i++) {
            var raw = expected.get("edges").get(i);
            var edge = tree.edges().get(i);
            assertEquals(raw.get(0).intValue(), edge.source());
            assertEquals(raw.get(1).intValue(), edge.target());
            assertEquals(raw.get(2).get("parent").asText(), edge.parent());
            assertEquals("executed_after", edge.label());
        }
    }

    private void checkSnapshots(Path file, PipescopeDatabase db, String dag) throws Exception {
        var raws = rawSnapshots(file, dag);
        var listed = db.dags().listSnapshots(dag);
        assertEquals(raws.size(), listed.size());
        assertTrue(listed.size() >= 2);
        for (int i = 0; i < raws.size(); i++) {
            var raw = raws.get(i);
            SnapshotInfo info = listed.get(i);
            var json = snapshotJson(raw.data());
            assertEquals(raw.rowId(), info.id());
            assertEquals(raw.createdAt(), info.createdAtText());
            assertEquals(raw.data().length, info.compressedBytes());
            assertEquals(json.length, info.rawBytes().orElseThrow());
            assertEquals(parse(json).size(), info.nodeCount().orElseThrow());
            assertTrue(info.readable());
            assertEquals(cacheOf(parse(json)), db.dags().loadSnapshot(dag, raw.rowId()).orElseThrow());
            // both of dagger's timestamp styles read as the same instant a plain parser sees
            var text = raw.createdAt();
            var iso = text.contains("T") ? text : text.replace(' ', 'T') + "Z";
            assertEquals(Optional.of(Instant.parse(iso)), info.createdAt());
            assertEquals(cacheOf(parse(json)), db.dags().loadSnapshot(dag, Instant.parse(iso).plusMillis(1)).orElseThrow());
        }
        var latest = raws.get(raws.size() - 1);
        assertEquals(cacheOf(parse(snapshotJson(latest.data()))), db.dags().loadLatestSnapshot(dag).orElseThrow());
    }

    private void checkState(PipescopeDatabase db, String dag) {
        var active = db.dags().loadExecutionState(dag, ExecutionStateType.ACTIVE).orElseThrow();
        assertEquals("{\"status\":\"Running\",\"task\":\"" + dag + "\"}", new String(active, StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), db.dags().loadExecutionState(dag, ExecutionStateType.PENDING));
    }

    private void checkSummary(Path file, List<DagSummary> summary) throws SQLException {
        var expected = new TreeMap<String, String>();
        try (var c = raw(file); var st = c.createStatement(); var rs = st.executeQuery("""
                SELECT d.dag_id,
                       (SELECT COUNT(*) FROM artifacts a WHERE a.dag_id = d.dag_id),
                       (SELECT LENGTH(tree_data) FROM execution_trees t WHERE t.dag_id = d.dag_id),
                       (SELECT COUNT(*) FROM snapshots s WHERE s.dag_id = d.dag_id),
                       (SELECT SUM(LENGTH(snapshot_data)) FROM snapshots s WHERE s.dag_id = d.dag_id),
                       (SELECT LENGTH(state_data) FROM execution_state e WHERE e.dag_id = d.dag_id AND state_type = 'active'),
                       (SELECT LENGTH(state_data) FROM execution_state e WHERE e.dag_id = d.dag_id AND state_type = 'pending')
                FROM (SELECT DISTINCT dag_id FROM artifacts) d""")) {
            while (rs.next()) {
                expected.put(rs.getString(1), rs.getLong(2) + "/" + rs.getLong(3) + "/" + rs.getLong(4) + "/"
                        + rs.getLong(5) + "/" + rs.getLong(6) + "/" + rs.getLong(7));
            }
        }
        var actual = new TreeMap<String, String>();
        for (var s : summary) {
            actual.put(s.dagId(), s.artifactCount() + "/" + s.treeBytes().orElseThrow() + "/" + s.snapshotCount() + "/"
                    + s.snapshotBytes() + "/" + s.stateBytes().get("active") + "/" + s.stateBytes().get("pending"));
        }
        assertEquals(expected, actual);
    }

    @Test
    void theFailedNodeOfTrainModelIsReadAsDaggerRecordedIt() {
        var file = Fixtures.copy("dagger_cache.db", dir);
        try (var db = Pipescope.openReadOnly(file)) {
            var tree = db.dags().loadExecutionTree("train_model").orElseThrow();
            assertEquals(6, tree.nodes().size());
            var failed = tree.failed();
            assertEquals(List.of("train_store"), failed.stream().map(TreeNode::nodeId).toList());
            assertEquals(List.of("attempt 1 failed: timeout after 30s", "attempt 2 failed: timeout after 30s"),
                    failed.get(0).retryMessages());
            assertEquals(Optional.of("node failed after 3 attempts"), failed.get(0).finalError());
            assertEquals("2025-09-22T12:20:00.361798912", DaggerFormat.formatNaive(tree.nodes().get(0).timestamp()));
            assertEquals(Optional.of("default"), tree.nodes().get(0).channel());
            assertEquals(4, db.dags().listSnapshots("train_model").size());
        }
    }

    @Test
    void aFileWithoutDaggerTablesSaysSo() {
        var file = Fixtures.copy("adaptive_pipeline.db", dir);
        try (var db = Pipescope.openReadOnly(file)) {
            var error = assertThrows(LayoutNotPresentException.class, db::dags);
            assertTrue(error.getMessage().contains("dagger"), error.getMessage());
        }
    }

    // ---- writing into dagger's files ---------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"dagger_cache.db", "dagger_cache_legacy.db"})
    void writingIntoDaggersFileKeepsItsLayoutAndDaggerCanReadIt(String fixture) throws Exception {
        var file = Fixtures.copy(fixture, dir);
        boolean legacy = fixture.contains("legacy");
        var dag = rawDagIds(file).get(0);
        int before = rawSnapshots(file, dag).size();
        var cache = DagCache.builder().put("fetch", "output", PLAIN.readTree("{\"rows\":1}")).build();
        SnapshotInfo info;
        try (var db = Pipescope.open(file)) {
            info = db.dags().saveSnapshot(dag, cache);
            db.dags().setJson(dag, "fetch", "extra", IntNode.valueOf(7));
            db.dags().saveExecutionState(dag, ExecutionStateType.PENDING, "[\"next\"]".getBytes(StandardCharsets.UTF_8));
            assertEquals(cache, db.dags().loadLatestSnapshot(dag).orElseThrow());
            var listed = db.dags().listSnapshots(dag);
            assertEquals(before + 1, listed.size());
            assertEquals(info, listed.get(listed.size() - 1));
        }
        var rows = rawSnapshots(file, dag);
        assertEquals(before + 1, rows.size());
        var mine = rows.get(rows.size() - 1);
        assertEquals(info.id(), mine.rowId());
        // the timestamp style of the layout, sorting after the rows dagger wrote
        assertTrue(mine.createdAt().matches(legacy
                ? "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{9}"
                : "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z"), mine.createdAt());
        // what dagger would do: decompress twice, parse JSON
        assertEquals(PLAIN.readTree("{\"fetch\":{\"output\":{\"value\":{\"rows\":1}}}}"), parse(snapshotJson(mine.data())));
        try (var c = raw(file); var st = c.createStatement()) {
            try (var rs = st.executeQuery("SELECT value FROM artifacts WHERE dag_id = '" + dag
                    + "' AND node_id = 'fetch' AND key = 'extra'")) {
                assertTrue(rs.next());
                assertEquals("{\"value\":7}", rs.getString(1));
            }
            try (var rs = st.executeQuery("SELECT state_data FROM execution_state WHERE dag_id = '" + dag
                    + "' AND state_type = 'pending'")) {
                assertTrue(rs.next());
                assertEquals("[\"next\"]", new String(unzstd(rs.getBytes(1)), StandardCharsets.UTF_8));
            }
            try (var rs = st.executeQuery("SELECT COUNT(*) FROM pragma_table_info('snapshots') WHERE name = 'id'")) {
                assertEquals(legacy ? 0 : 1, rs.getInt(1));
            }
        }
    }

    @Test
    void whatWeWriteDecodesWithAPlainZstdAndJsonReaderInDaggersShape() throws Exception {
        var file = dir.resolve("ours.db");
        var upstream = Fixtures.copy("dagger_cache.db", dir);
        JsonNode theirs;
        byte[] theirBytes;
        try (var c = raw(upstream); var st = c.createStatement();
             var rs = st.executeQuery("SELECT tree_data FROM execution_trees WHERE dag_id = 'train_model'")) {
            theirBytes = unzstd(rs.getBytes(1));
            theirs = parse(theirBytes);
        }
        try (var src = Pipescope.openReadOnly(upstream); var db = Pipescope.open(file)) {
            db.dags().saveExecutionTree("train_model", src.dags().loadExecutionTree("train_model").orElseThrow());
        }
        try (var c = raw(file); var st = c.createStatement();
             var rs = st.executeQuery("SELECT tree_data FROM execution_trees WHERE dag_id = 'train_model'")) {
            byte[] blob = rs.getBytes(1);
            assertTrue(blob[0] == (byte) 0x28 && blob[1] == (byte) 0xB5 && blob[2] == (byte) 0x2F && blob[3] == (byte) 0xFD);
            var ours = PLAIN.readTree(new com.github.luben.zstd.ZstdInputStream(new java.io.ByteArrayInputStream(blob)));
            // the same document dagger wrote, field for field and byte for byte
            assertEquals(theirs, ours);
            assertEquals(new String(theirBytes, StandardCharsets.UTF_8), new String(unzstd(blob), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aFreshFileHasDaggersExactTableLayout() throws Exception {
        var fresh = dir.resolve("fresh.db");
        try (var db = Pipescope.open(fresh)) {
            assertTrue(db.layouts().contains(Layout.DAGGER));
        }
        var upstream = Fixtures.copy("dagger_cache.db", dir);
        for (var table : List.of("artifacts", "execution_trees", "snapshots", "execution_state")) {
            assertEquals(describe(upstream, table), describe(fresh, table), table);
        }
    }

    private static List<String> describe(Path file, String table) throws SQLException {
        var result = new ArrayList<String>();
        try (var c = raw(file); var st = c.createStatement()) {
            try (var rs = st.executeQuery("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('" + table + "')")) {
                while (rs.next()) {
                    result.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getInt(3) + " " + rs.getString(4) + " " + rs.getInt(5));
                }
            }
            try (var rs = st.executeQuery("SELECT name, \"unique\", origin FROM pragma_index_list('" + table + "') ORDER BY name")) {
                while (rs.next()) {
                    result.add("index " + rs.getString(1) + " " + rs.getInt(2) + " " + rs.getString(3));
                }
            }
        }
        return result;
    }

    @Test
    void openingDaggersFileReadWriteMigratesWithoutChangingItsRows() throws Exception {
        var file = Fixtures.copy("dagger_cache_legacy.db", dir);
        var dag = "nightly_report";
        var before = rawSnapshots(file, dag);
        try (var db = Pipescope.open(file)) {
            assertTrue(db.layouts().contains(Layout.DAGGER));
        }
        var after = rawSnapshots(file, dag);
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i).createdAt(), after.get(i).createdAt());
            assertArrayEquals(before.get(i).data(), after.get(i).data());
        }
        assertFalse(describe(file, "snapshots").stream().anyMatch(c -> c.startsWith("id ")));
    }
}
