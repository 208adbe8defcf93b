package dev.pipescope.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.RunStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real child JVM writes pipelines, runs and DAG snapshots in a loop and is killed with SIGKILL at random moments. After each kill
 * the file passes {@code integrity_check}, every write the child acknowledged is there (a finished
 * run is finished, a snapshot decodes to what was saved), no aggregate is partial, and the next open needs no repair.
 */
class CrashSafetyTest {
    static final int KILLS = 50;
    static final long TIME_BUDGET_MS = 150_000;

    @TempDir
    Path dir;

    @Test
    void committedWritesSurviveSigkillAndNoAggregateIsPartial() throws Exception {
        var file = dir.resolve("crash.db");
        Pipescope.open(file).close();
        var random = new Random(20261122);
        var acknowledged = new Acknowledged();
        long started = System.currentTimeMillis();
        int kills = 0;
        long checkedWrites = 0;
        for (int round = 0; round < KILLS && System.currentTimeMillis() - started < TIME_BUDGET_MS; round++) {
            var child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                    file.toString(), "r" + round)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            var reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            // let it commit a random number of aggregates, then kill it mid-stream
            int target = 1 + random.nextInt(60);
            String line;
            int seen = 0;
            while (seen < target && (line = reader.readLine()) != null) {
                acknowledged.record(line);
                seen++;
            }
            Thread.sleep(random.nextInt(15));
            // SIGKILL through the handle: Process.destroyForcibly would also close the pipe we still read
            child.toHandle().destroyForcibly();
            assertTrue(child.waitFor(20, TimeUnit.SECONDS), "child did not die");
            // lines printed before death are acknowledged commits too
            while ((line = reader.readLine()) != null) {
                acknowledged.record(line);
            }
            kills++;
            checkedWrites += verify(file, acknowledged);
        }
        assertTrue(kills >= 10, "too few kills within the time budget: " + kills);
        assertTrue(acknowledged.snapshots.size() > 0 && acknowledged.finishedRuns.size() > 0,
                "the child never got past pipelines: " + acknowledged.total());
        ReliabilityReport.record("crash", """
                A child JVM saving pipelines, recording runs (start, finish) and saving DAG snapshots, printing a
                line after each commit, is killed with SIGKILL at random moments. After each kill: `integrity_check`
                is ok, no row lacks its parent, every acknowledged write is there (a finished run is finished, a
                snapshot decodes to what was saved), no pipeline is partial, and the next open needs no repair.
                This is durability against process death; with `synchronous=NORMAL` in WAL mode the last commits
                before a power loss may be rolled back (never corrupted), which this test does not simulate.""", Map.of(
                "kills survived (SIGKILL of a writing child JVM)", kills,
                "acknowledged writes checked after each kill (sum over kills)", checkedWrites,
                "pipelines acknowledged in total", acknowledged.pipelines.size(),
                "runs started acknowledged in total", acknowledged.startedRuns.size(),
                "runs finished acknowledged in total", acknowledged.finishedRuns.size(),
                "DAG snapshots acknowledged in total", acknowledged.snapshots.size()));
    }

    /** Every write the children reported as committed, by kind. */
    private static final class Acknowledged {
        final Map<String, Integer> pipelines = new HashMap<>();
        final Map<String, String> startedRuns = new HashMap<>();
        final Map<String, Long> finishedRuns = new HashMap<>();
        /** "dagId snapshotId" to node count. */
        final Map<String, Integer> snapshots = new HashMap<>();

        void record(String line) {
            var parts = line.split(" ");
            if (parts.length < 4 || !parts[0].equals("committed")) {
                throw new AssertionError("unexpected child output: " + line);
            }
            switch (parts[1]) {
                case "pipeline" -> pipelines.put(parts[2], Integer.parseInt(parts[3]));
                case "run-start" -> startedRuns.put(parts[2], parts[3]);
                case "run-finish" -> finishedRuns.put(parts[2], Long.parseLong(parts[3]));
                case "snapshot" -> snapshots.put(parts[2] + " " + parts[3], Integer.parseInt(parts[4]));
                default -> throw new AssertionError("unexpected child output: " + line);
            }
        }

        long total() {
            return pipelines.size() + startedRuns.size() + finishedRuns.size() + snapshots.size();
        }
    }

    /** Checks the file after a kill; returns how many acknowledged writes it verified. */
    private static long verify(Path file, Acknowledged acknowledged) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            try (var rs = st.executeQuery("PRAGMA integrity_check")) {
                assertTrue(rs.next());
                assertEquals("ok", rs.getString(1));
            }
            // no aggregate is partial: every pipeline has its checksum stages and stage parameters
            try (var rs = st.executeQuery("SELECT count(*) FROM pipelines p WHERE (SELECT count(*) FROM pipeline_stages s "
                    + "WHERE s.pipeline_id = p.id) < 3 OR NOT EXISTS (SELECT 1 FROM pipeline_configuration c "
                    + "WHERE c.pipeline_id = p.id)")) {
                assertTrue(rs.next());
                assertEquals(0, rs.getInt(1), "partial aggregates after a kill");
            }
            try (var rs = st.executeQuery("PRAGMA foreign_key_check")) {
                assertTrue(!rs.next(), "a row refers to a missing parent after a kill");
            }
        }
        try (var db = Pipescope.open(file)) { // the next open succeeds without repair
            for (var entry : acknowledged.pipelines.entrySet()) {
                var p = db.pipelines().findById(entry.getKey());
                assertTrue(p.isPresent(), "acknowledged pipeline lost: " + entry.getKey());
                assertEquals((int) entry.getValue(), p.get().stages().size(), "stages of " + entry.getKey());
            }
            for (var entry : acknowledged.startedRuns.entrySet()) {
                var run = db.runs().find(entry.getKey());
                assertTrue(run.isPresent(), "acknowledged run start lost: " + entry.getKey());
                assertEquals(entry.getValue(), run.get().pipelineId(), "pipeline of run " + entry.getKey());
            }
            for (var entry : acknowledged.finishedRuns.entrySet()) {
                var run = db.runs().find(entry.getKey()).orElseThrow();
                assertEquals(RunStatus.SUCCEEDED, run.status(), "acknowledged finish lost: " + entry.getKey());
                assertEquals((long) entry.getValue(), run.measures().bytesProcessed(), "bytes of " + entry.getKey());
                assertTrue(run.finishedAt() != null && run.durationMs() != null, "half-finished run " + entry.getKey());
            }
            for (var entry : acknowledged.snapshots.entrySet()) {
                var key = entry.getKey().split(" ");
                var cache = db.dags().loadSnapshot(key[0], Long.parseLong(key[1]));
                assertTrue(cache.isPresent(), "acknowledged snapshot lost: " + entry.getKey());
                assertEquals((int) entry.getValue(), cache.get().nodeIds().size(), "nodes of snapshot " + entry.getKey());
            }
            for (var dagId : db.dags().dagIds()) {
                for (var info : db.dags().listSnapshots(dagId)) {
                    assertTrue(info.readable(), "torn snapshot after a kill: " + info);
                }
            }
        }
        return acknowledged.total();
    }
}
