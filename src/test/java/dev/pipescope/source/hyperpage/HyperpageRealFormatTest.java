package dev.pipescope.source.hyperpage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.Job;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.Run;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunSource;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.testing.Fixtures;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs as Hyperpage's own code writes them (src/test/resources/fixtures/hyperpage_jobs.sql): no
 * started_at, completed_at only for completed jobs, retry_count 0, a whole Tool object's JSON in tool.
 */
class HyperpageRealFormatTest {
    /** created_at of the first job in the script: 2025-11-29T08:00:00Z. */
    private static final long BASE = 1764403200000L;
    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void makeFile() {
        file = Fixtures.fromScript("fixtures/hyperpage_jobs.sql", dir, "hyperpage.db");
    }

    private Map<String, Run> runs(RunFilter filter) {
        try (var db = Pipescope.openReadOnly(file)) {
            assertEquals(Set.of(Layout.HYPERPAGE), db.layouts());
            return db.runs().unified(filter.source(RunSource.HYPERPAGE)).stream()
                    .collect(Collectors.toMap(Run::id, Function.identity()));
        }
    }

    @Test
    void everyJobSitsOnTheTimeAxis() {
        var all = runs(RunFilter.capped());
        assertEquals(7, all.size());
        assertTrue(all.values().stream().allMatch(r -> r.start() != null), "every job has a start");
        // the whole morning: all seven, not only the two completed ones
        var morning = runs(RunFilter.capped().between(Instant.ofEpochMilli(BASE), Instant.ofEpochMilli(BASE + 3_600_000)));
        assertEquals(7, morning.size());

        var completed = all.get("github-" + BASE + "-a1b2c3");
        assertEquals(Instant.ofEpochMilli(BASE), completed.start());
        assertEquals(Instant.ofEpochMilli(BASE + 65_000), completed.end());
        assertNull(completed.duration(), "no start was stored, so no run length is claimed");
        assertEquals(65_000.0, completed.measures().get("queued_to_end_ms"));

        var failed = all.get("gitlab-" + (BASE + 120_000) + "-g7h8i9");
        assertEquals(Instant.ofEpochMilli(BASE + 190_000), failed.end(), "an ended job ends at its last update");
        var running = all.get("gitlab-" + (BASE + 300_000) + "-p7q8r9");
        assertEquals(Instant.ofEpochMilli(BASE + 300_000), running.start());
        assertNull(running.end());
        assertNull(all.get("cleanup-" + (BASE + 360_000) + "-s1t2u3").end());
    }

    @Test
    void attemptsCountTriesAndTimeoutIsAFailure() {
        var all = runs(RunFilter.capped());
        assertEquals(1, all.get("github-" + BASE + "-a1b2c3").attempts());
        assertEquals(1, all.get("gitlab-" + (BASE + 120_000) + "-g7h8i9").attempts());
        assertEquals(1, all.get("gitlab-" + (BASE + 300_000) + "-p7q8r9").attempts());
        assertEquals(0, all.get("cleanup-" + (BASE + 360_000) + "-s1t2u3").attempts(), "queued, never ran");

        var timedOut = all.get("github-" + (BASE + 180_000) + "-j1k2l3");
        assertEquals(RunStatus.FAILED, timedOut.status());
        assertEquals("timeout", timedOut.sourceStatus());
        assertEquals(2, runs(RunFilter.capped().status(RunStatus.FAILED)).size(), "failed + timeout");
    }

    @Test
    void aJobShowsItsToolsSlugAndKeepsTheToolJson() {
        try (var db = Pipescope.openReadOnly(file)) {
            var jobs = db.hyperpage().jobs().list(100).stream().collect(Collectors.toMap(Job::id, Function.identity()));
            var github = jobs.get("github-" + BASE + "-a1b2c3");
            assertEquals("github", github.tool());
            assertTrue(github.toolJson().startsWith("{\"name\":\"GitHub\",\"slug\":\"github\""), github.toolJson());
            assertTrue(github.toolJson().length() > 2000);
            assertEquals("jira", jobs.get("jira-" + (BASE + 60_000) + "-d4e5f6").tool());
            var cleanup = jobs.get("cleanup-" + (BASE + 360_000) + "-s1t2u3");
            assertNull(cleanup.tool());
            assertNull(cleanup.toolJson());
        }
    }
}
