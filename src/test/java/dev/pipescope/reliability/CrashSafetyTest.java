package dev.pipescope.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
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
 * A real child JVM writes in a loop and is killed with SIGKILL at random moments. After each kill
 * the file passes {@code integrity_check}, every write the child acknowledged is there, no
 * aggregate is partial, and the next open needs no repair.
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
        var acknowledged = new HashMap<String, Integer>();
        long started = System.currentTimeMillis();
        int kills = 0;
        long checkedWrites = 0;
        for (int round = 0; round < KILLS && System.currentTimeMillis() - started < TIME_BUDGET_MS; round++) {
            var child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                    file.toString(), "r" + round)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            var reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            // let it commit a random number of aggregates, then kill it mid-stream
            int target = 1 + random.nextInt(40);
            String line;
            int seen = 0;
            while (seen < target && (line = reader.readLine()) != null) {
                record(line, acknowledged);
                seen++;
            }
            Thread.sleep(random.nextInt(15));
            // SIGKILL through the handle: Process.destroyForcibly would also close the pipe we still read
            child.toHandle().destroyForcibly();
            assertTrue(child.waitFor(20, TimeUnit.SECONDS), "child did not die");
            // lines printed before death are acknowledged commits too
            while ((line = reader.readLine()) != null) {
                record(line, acknowledged);
            }
            kills++;
            checkedWrites += verify(file, acknowledged);
        }
        assertTrue(kills >= 10, "too few kills within the time budget: " + kills);
        ReliabilityReport.record("crash", Map.of(
                "kills survived", kills,
                "acknowledged aggregates checked after each kill (sum)", checkedWrites,
                "aggregates acknowledged in total", acknowledged.size()));
    }

    private static void record(String line, Map<String, Integer> acknowledged) {
        var parts = line.split(" ");
        if (parts.length == 4 && parts[0].equals("committed") && parts[1].equals("pipeline")) {
            acknowledged.put(parts[2], Integer.parseInt(parts[3]));
        }
    }

    /** Checks the file after a kill; returns how many acknowledged writes it verified. */
    private static long verify(Path file, Map<String, Integer> acknowledged) throws Exception {
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
        }
        try (var db = Pipescope.open(file)) { // the next open succeeds without repair
            for (var entry : acknowledged.entrySet()) {
                var p = db.pipelines().findById(entry.getKey());
                assertTrue(p.isPresent(), "acknowledged pipeline lost: " + entry.getKey());
                assertEquals((int) entry.getValue(), p.get().stages().size(), "stages of " + entry.getKey());
            }
        }
        return acknowledged.size();
    }
}
