package dev.pipescope.source.hyperpage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.ConnectionSettings;
import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.ServerTarget;
import dev.pipescope.domain.Job;
import dev.pipescope.domain.JobAttempt;
import dev.pipescope.domain.JobSpec;
import dev.pipescope.domain.JobStatus;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.Run;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunSource;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.error.ReadOnlyViolationException;
import dev.pipescope.testing.Fixtures;
import dev.pipescope.testing.PostgresState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Hyperpage's PostgreSQL database as its own code leaves it (src/test/resources/fixtures/hyperpage_postgres.sql,
 * a restatement of its drizzle migration with rows as its job, rate-limit, config and app-state code writes them),
 * read through a read-only open: the same records and unified runs as its SQLite file gives.
 */
class HyperpagePostgresTest {
    /** 2025-11-19T09:00:00Z: the script's first job was queued then. */
    private static final long BASE = 1763542800000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ServerTarget target;
    private static Map<String, String> before;
    private static PipescopeDatabase db;

    @BeforeAll
    static void openTheDatabase() {
        target = Fixtures.postgresFromScript("fixtures/hyperpage_postgres.sql", "hyperpage");
        before = PostgresState.of(target);
        db = Pipescope.openReadOnly(target);
    }

    @AfterAll
    static void nothingWasWritten() {
        db.close();
        assertEquals(before, PostgresState.of(target), "reading Hyperpage's database changed it");
    }

    private static Instant at(long minutes, long seconds, long millis) {
        return Instant.ofEpochMilli(BASE + minutes * 60_000 + seconds * 1000 + millis);
    }

    private static Map<String, Job> jobs() {
        return db.hyperpage().jobs().list(100).stream().collect(Collectors.toMap(Job::id, Function.identity()));
    }

    @Test
    void itsSchemaIsRecognisedAsHyperpage() {
        assertEquals(Set.of(Layout.HYPERPAGE), db.layouts());
        assertTrue(db.readOnly());
    }

    @Test
    void aJobReadsAsTheSameRecordAsInItsSqliteFile() throws Exception {
        var job = db.hyperpage().jobs().find("github-1763542800000-a1b2c3").orElseThrow();
        assertEquals("data_refresh", job.type());
        assertEquals("Refresh GitHub pull requests", job.name());
        assertEquals(2, job.priority());
        assertEquals(JobStatus.COMPLETED, job.status());
        assertEquals("github", job.tool(), "the Tool object's slug");
        assertEquals("GitHub", JSON.readTree(job.toolJson()).get("name").asText());
        assertTrue(job.toolJson().length() > 2000, "the whole Tool object, as stored");
        assertEquals("pull-requests", job.endpoint());
        assertEquals(JSON.readTree("{\"data\":{\"repos\":[\"hyperpage/hyperpage\"]},\"timeoutMs\":30000,\"maxRetries\":3,"
                + "\"tags\":[\"github\",\"pull-requests\"]}"), JSON.readTree(job.payload()));
        assertEquals(42, JSON.readTree(job.result()).path("data").path("pullRequests").asInt(), "the completion's result");
        assertEquals(at(0, 0, 0), job.createdAt());
        assertEquals(at(0, 0, 0), job.scheduledAt());
        assertEquals(at(0, 5, 0), job.startedAt());
        assertEquals(at(1, 5, 250), job.completedAt());
        assertEquals(at(1, 5, 250), job.updatedAt());
        assertEquals(0, job.retryCount());
        assertEquals(0, job.recoveryAttempts());
        assertNull(job.persistedAt(), "PostgreSQL keeps no persisted_at");
        assertNull(job.lastError());
    }

    @Test
    void jobsWithoutTheirHistoryOrToolReadAsHyperpageReadsThem() {
        var jobs = jobs();
        assertEquals(9, jobs.size(), "every job row; the one Hyperpage's clean-up deleted is gone: " + jobs.keySet());
        // its job_history row was never written: shown by its number, named by its type, at medium priority
        var bare = jobs.get("9");
        assertEquals("cache_warm", bare.name());
        assertEquals(2, bare.priority());
        assertNull(bare.tool());
        assertNull(bare.toolJson());
        var batch = jobs.get("batch:1763543340000:k3v9x2ab");
        assertEquals("HTTP Batch Execution", batch.name());
        assertEquals(1, batch.priority());
        assertNull(batch.tool(), "no tool: JSON null in its history");
        assertEquals("/api/batch", batch.endpoint());
        assertNull(batch.result(), "no result in its history");
        var failed = jobs.get("jira-1763542920000-d4e5f6");
        assertEquals("Jira API responded 503 Service Unavailable", failed.lastError());
        assertEquals("jira", failed.tool());
        assertEquals(2, jobs.get("gitlab-1763543400000-v4w5x6").retryCount(), "attempts, as Hyperpage writes retryCount");
    }

    @Test
    void listFiltersByStatusNewestFirstAndCountsEveryStatus() {
        var all = db.hyperpage().jobs().list(100);
        assertEquals("9", all.get(0).id(), "queued last");
        assertEquals("github-1763542800000-a1b2c3", all.get(all.size() - 1).id(), "queued first");
        assertEquals(List.of("github-1763543220000-p7q8r9"), db.hyperpage().jobs().list(10, JobStatus.RUNNING)
                .stream().map(Job::id).toList());
        assertEquals(Set.of("jira-1763542920000-d4e5f6", "gitlab-1763543040000-g7h8i9"),
                db.hyperpage().jobs().list(10, JobStatus.FAILED, JobStatus.TIMEOUT).stream().map(Job::id)
                        .collect(Collectors.toSet()));
        assertEquals(2, db.hyperpage().jobs().list(2).size());
        assertEquals(Map.of(JobStatus.PENDING, 2L, JobStatus.RUNNING, 1L, JobStatus.COMPLETED, 3L, JobStatus.FAILED, 1L,
                JobStatus.CANCELLED, 1L, JobStatus.TIMEOUT, 1L), db.hyperpage().jobs().countByStatus());
    }

    @Test
    void attemptsAreReadFromTheStatusChangesItsHistoryRecords() {
        var jobs = db.hyperpage().jobs();
        var retried = jobs.history("gitlab-1763543400000-v4w5x6");
        assertEquals(2, retried.size(), retried.toString());
        assertEquals(new JobAttempt(retried.get(0).id(), "gitlab-1763543400000-v4w5x6", 1, JobStatus.FAILED,
                at(10, 1, 0), at(10, 11, 0), 10_000L, null), retried.get(0), "its error is {} as JSON.stringify wrote it");
        assertEquals(JobStatus.COMPLETED, retried.get(1).status());
        assertEquals(2, retried.get(1).attempt());
        assertEquals(at(10, 20, 0), retried.get(1).startedAt());
        assertEquals(20_000L, retried.get(1).durationMs());

        var running = jobs.history("github-1763543220000-p7q8r9");
        assertEquals(1, running.size());
        assertEquals(JobStatus.RUNNING, running.get(0).status());
        assertNull(running.get(0).completedAt());

        var batch = jobs.history("batch:1763543340000:k3v9x2ab");
        assertEquals(1, batch.size(), "queued already completed: one attempt");
        assertNull(batch.get(0).startedAt(), "its start is unknown");
        assertEquals(JobStatus.COMPLETED, batch.get(0).status());

        assertEquals(List.of(), jobs.history("jira-1763543280000-s1t2u3"), "cancelled before it ran");
        assertEquals(List.of(), jobs.history("job-1763543160000-m4n5o6"), "still queued");
        assertEquals(List.of(), jobs.history("9"));
        var deleted = jobs.history("github-1763539200000-y7z8a9");
        assertEquals(1, deleted.size(), "the history Hyperpage's clean-up left of a deleted job");
        assertEquals(JobStatus.COMPLETED, deleted.get(0).status());
        assertEquals(List.of(), jobs.history("no-such-job"));
        assertTrue(jobs.find("github-1763539200000-y7z8a9").isEmpty(), "the deleted job is no job");
        assertTrue(jobs.find("no-such-job").isEmpty());
        assertEquals("cache_warm", jobs.find("9").orElseThrow().type());
    }

    private static Map<String, Run> runs(RunFilter filter) {
        return db.runs().unified(filter.source(RunSource.HYPERPAGE)).stream()
                .collect(Collectors.toMap(Run::id, Function.identity()));
    }

    @Test
    void jobsAreUnifiedRunsByTheSameRulesAsInASqliteFile() {
        var runs = runs(RunFilter.capped());
        assertEquals(9, runs.size(), runs.keySet().toString());

        var completed = runs.get("github-1763542800000-a1b2c3");
        assertEquals(RunStatus.SUCCEEDED, completed.status());
        assertEquals(at(0, 5, 0), completed.start());
        assertEquals(at(1, 5, 250), completed.end());
        assertEquals(Duration.ofMillis(60_250), completed.duration());
        assertEquals(1, completed.attempts());
        assertEquals("Refresh GitHub pull requests", completed.name());
        assertEquals(65_250.0, completed.measures().get("queued_to_end_ms"));

        var failed = runs.get("jira-1763542920000-d4e5f6");
        assertEquals(RunStatus.FAILED, failed.status());
        assertEquals("Jira API responded 503 Service Unavailable", failed.error(), "last_error");
        assertEquals(at(2, 33, 500), failed.end(), "no completed_at: its last status change");
        assertNull(failed.duration(), "no completed_at, no duration");

        var timedOut = runs.get("gitlab-1763543040000-g7h8i9");
        assertEquals(RunStatus.FAILED, timedOut.status());
        assertEquals("timeout", timedOut.sourceStatus());

        var batch = runs.get("batch:1763543340000:k3v9x2ab");
        assertEquals(at(9, 0, 0), batch.start(), "no started_at: queued time");
        assertEquals(at(9, 0, 840), batch.end(), "no completed_at: updated_at");
        assertNull(batch.duration());
        assertEquals(1, batch.attempts());

        assertEquals(3, runs.get("gitlab-1763543400000-v4w5x6").attempts(), "attempts 2 re-queues + the run");
        assertEquals(0, runs.get("job-1763543160000-m4n5o6").attempts(), "queued, never ran");
        assertEquals(RunStatus.PENDING, runs.get("job-1763543160000-m4n5o6").status());
        assertNull(runs.get("job-1763543160000-m4n5o6").end());
        assertEquals(RunStatus.CANCELLED, runs.get("jira-1763543280000-s1t2u3").status());
        assertEquals(0, runs.get("jira-1763543280000-s1t2u3").attempts());
        assertEquals(RunStatus.RUNNING, runs.get("github-1763543220000-p7q8r9").status());

        var failures = runs(RunFilter.capped().status(RunStatus.FAILED));
        assertEquals(Set.of("jira-1763542920000-d4e5f6", "gitlab-1763543040000-g7h8i9"), failures.keySet());
        var window = runs(RunFilter.capped().between(at(0, 0, 0), at(3, 0, 0)));
        assertEquals(Set.of("github-1763542800000-a1b2c3", "jira-1763542920000-d4e5f6"), window.keySet());
    }

    @Test
    void rateLimitsReadFromTheirKeyAndMetadata() {
        var limits = db.hyperpage().rateLimits();
        assertEquals(List.of("github:global", "gitlab:global", "jira:global"),
                limits.list().stream().map(l -> l.id()).toList());
        var github = limits.find("github").orElseThrow();
        assertEquals("github", github.platform());
        assertEquals(4987L, github.limitRemaining());
        assertEquals(5000L, github.limitTotal());
        assertEquals(at(60, 0, 0), github.resetTime());
        assertEquals(at(15, 0, 0), github.lastUpdated());
        assertEquals(at(1, 0, 0), github.createdAt());
        var jira = limits.find("jira").orElseThrow();
        assertEquals("jira", jira.platform(), "no metadata: the key's platform");
        assertNull(jira.limitTotal());
        assertNull(jira.lastUpdated());
        assertTrue(limits.find("bitbucket").isEmpty());
    }

    @Test
    void toolConfigsReadAsHyperpageReadsThem() {
        var configs = db.hyperpage().toolConfigs();
        assertEquals(List.of("github", "gitlab", "jira"), configs.list().stream().map(c -> c.toolName()).toList());
        var github = configs.find("github").orElseThrow();
        assertTrue(github.enabled());
        assertTrue(github.notifications());
        assertEquals(300_000L, github.refreshIntervalMs());
        assertEquals("hyperpage", github.config().get("org").asText());
        assertEquals(Instant.ofEpochMilli(BASE - 15 * 60_000), github.updatedAt());
        @SuppressWarnings("unchecked")
        Map<String, Object> bound = configs.config("github", Map.class).orElseThrow();
        assertEquals(List.of("hyperpage/hyperpage"), bound.get("repos"));
        var jira = configs.find("jira").orElseThrow();
        assertFalse(jira.enabled());
        assertFalse(jira.notifications());
        assertNull(jira.config());
        assertNull(jira.refreshIntervalMs());
        var gitlab = configs.find("gitlab").orElseThrow();
        assertTrue(gitlab.notifications(), "absent: Hyperpage's default, true");
        assertEquals(600_000L, gitlab.refreshIntervalMs());
    }

    @Test
    void appStateValuesAreTheirJson() throws Exception {
        var state = db.hyperpage().appState();
        assertEquals("\"dark\"", state.get("theme").orElseThrow());
        assertEquals(List.of("lastSync", "onboardingComplete", "theme"), List.copyOf(state.all().keySet()));
        assertEquals(BASE + 65_250, JSON.readTree(state.all().get("lastSync")).get("github").asLong());
        assertTrue(state.get("missing").isEmpty());
    }

    /** Every write through the repositories is refused at once, on a read-write open too, and nothing changes. */
    @Test
    void writesAreRefusedAndChangeNothing() {
        try (var writable = Pipescope.open(target, ConnectionSettings.readWrite())) {
            assertFalse(writable.readOnly());
            assertEquals(Set.of(Layout.HYPERPAGE), writable.layouts());
            var hp = writable.hyperpage();
            List<Executable> writes = List.of(
                    () -> hp.jobs().submit(new JobSpec("data_refresh", "x", 2, null, null, "{}")),
                    () -> hp.jobs().start("job-1763543160000-m4n5o6"),
                    () -> hp.jobs().complete("github-1763543220000-p7q8r9", "{}"),
                    () -> hp.jobs().fail("github-1763543220000-p7q8r9", "boom"),
                    () -> hp.jobs().timeOut("github-1763543220000-p7q8r9", "slow"),
                    () -> hp.jobs().cancel("job-1763543160000-m4n5o6", "no"),
                    () -> hp.jobs().retry("jira-1763542920000-d4e5f6"),
                    () -> hp.jobs().recoverInterrupted(),
                    () -> hp.rateLimits().update("github", 1L, 5000L, null),
                    () -> hp.rateLimits().delete("github"),
                    () -> hp.toolConfigs().upsert("github", false, null, null, false),
                    () -> hp.toolConfigs().setConfig("github", Map.of()),
                    () -> hp.toolConfigs().delete("github"),
                    () -> hp.appState().put("theme", "\"light\""),
                    () -> hp.appState().remove("theme"));
            for (var write : writes) {
                var refused = assertThrows(ReadOnlyViolationException.class, write);
                assertTrue(refused.getMessage().contains(target.database()), refused.getMessage());
                assertTrue(refused.getMessage().contains("Nothing was written"), refused.getMessage());
            }
        }
        assertEquals(before, PostgresState.of(target));
    }

    /** Opening Hyperpage's database read-write is the same as reading it: no Flyway history, no table, no row. */
    @Test
    void aReadWriteOpenMigratesAndAddsNothing() {
        try (var writable = Pipescope.open(target)) {
            assertEquals(9, writable.runs().unified(RunFilter.capped()).size());
        }
        var after = PostgresState.of(target);
        assertEquals(before, after);
        assertFalse(after.keySet().stream().anyMatch(k -> k.contains("flyway_schema_history")));
    }
}
