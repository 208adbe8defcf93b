package dev.pipescope.source.hyperpage;

import dev.pipescope.testing.FileState;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.domain.JobSpec;
import dev.pipescope.domain.JobStatus;
import dev.pipescope.domain.Layout;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.error.IllegalStateTransitionException;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.LayoutNotPresentException;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.error.ReadOnlyViolationException;
import dev.pipescope.testing.Fixtures;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hyperpage's tables, on a copy of {@code hyperpage.db}. */
class SqliteHyperpageStoreTest {
    @TempDir
    Path dir;
    Path file;
    PipescopeDatabase db;

    @BeforeEach
    void open() {
        file = Fixtures.copy("hyperpage.db", dir);
        db = Pipescope.open(file);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void theStoreIsMadeOnceWhicheverThreadAsksFirstAndFromInsideAWrite() throws Exception {
        var seen = new java.util.concurrent.ConcurrentLinkedQueue<Object>();
        var threads = new java.util.ArrayList<Thread>();
        for (int i = 0; i < 4; i++) {
            threads.add(new Thread(() -> seen.add(db.hyperpage())));
        }
        threads.forEach(Thread::start);
        for (var thread : threads) {
            thread.join(10_000);
        }
        assertEquals(4, seen.size());
        assertEquals(1, new java.util.HashSet<>(seen).size(), "more than one store was made");
        // asked for inside a write transaction (holding the writer) it is the same store
        var inside = db.connections().write("ask for the store", h -> db.hyperpage());
        assertTrue(inside == seen.peek());
    }

    @Test
    void readsTheFixturesJobsAsStored() {
        assertTrue(db.layouts().contains(Layout.HYPERPAGE));
        var counts = db.hyperpage().jobs().countByStatus();
        // counted with sqlite3 on the fixture
        assertEquals(Map.of(JobStatus.CANCELLED, 6L, JobStatus.COMPLETED, 15L, JobStatus.FAILED, 5L,
                JobStatus.PENDING, 4L, JobStatus.RUNNING, 3L, JobStatus.TIMEOUT, 8L), counts);
        var job = db.hyperpage().jobs().find("jira-1761603722986-pkrfhc").orElseThrow();
        assertEquals("data-refresh", job.type());
        assertEquals("refresh jira issues", job.name());
        assertEquals(2, job.priority());
        assertEquals(JobStatus.COMPLETED, job.status());
        assertEquals("{\"tool\": \"jira\", \"page\": 2}", job.payload());
        assertEquals("{\"items\": 445}", job.result());
        assertEquals(Instant.ofEpochMilli(1761603723246L), job.startedAt());
        assertEquals(Instant.ofEpochMilli(1761603834989L), job.completedAt());
        assertEquals(2, job.retryCount());
        assertEquals(3, db.hyperpage().jobs().list(100, JobStatus.RUNNING).size());
        assertEquals(41, db.hyperpage().jobs().list(100).size());
        assertEquals(5, db.hyperpage().jobs().list(5).size());
        assertTrue(db.hyperpage().jobs().history("jira-1761603722986-pkrfhc").isEmpty());
    }

    @Test
    void everyAttemptGetsAHistoryRow() {
        var jobs = db.hyperpage().jobs();
        var job = jobs.submit(new JobSpec("data-refresh", "refresh github prs", 1, "github", "/api/github/prs",
                "{\"page\": 1}"));
        assertEquals(JobStatus.PENDING, job.status());
        assertTrue(job.id().startsWith("github-"), job.id());
        jobs.start(job.id());
        var failed = jobs.fail(job.id(), "HTTP 502");
        assertEquals(JobStatus.FAILED, failed.status());
        assertNotNull(failed.completedAt());
        var retried = jobs.retry(job.id());
        assertEquals(JobStatus.PENDING, retried.status());
        assertEquals(1, retried.retryCount());
        assertNull(retried.startedAt());
        jobs.start(job.id());
        var done = jobs.complete(job.id(), "{\"items\": 12}");
        assertEquals("{\"items\": 12}", done.result());
        var history = jobs.history(job.id());
        assertEquals(2, history.size());
        assertEquals(1, history.get(0).attempt());
        assertEquals(JobStatus.FAILED, history.get(0).status());
        assertEquals("HTTP 502", history.get(0).errorMessage());
        assertEquals(history.get(0).completedAt().toEpochMilli() - history.get(0).startedAt().toEpochMilli(),
                history.get(0).durationMs());
        assertEquals(2, history.get(1).attempt());
        assertEquals(JobStatus.COMPLETED, history.get(1).status());
        assertNull(history.get(1).errorMessage());
    }

    @Test
    void refusedTransitionsAndBadJobsChangeNothing() {
        var jobs = db.hyperpage().jobs();
        var pending = jobs.submit(JobSpec.of("cache-warm", "warm", "jira", "{}"));
        var before = FileState.of(file);
        var e = assertThrows(IllegalStateTransitionException.class, () -> jobs.complete(pending.id(), "{}"));
        assertTrue(e.getMessage().contains("pending"), e.getMessage());
        assertThrows(IllegalStateTransitionException.class, () -> jobs.retry(pending.id()));
        assertThrows(InvalidArgumentException.class, () -> jobs.submit(new JobSpec("t", "n", 5, null, null, "{}")));
        var notJson = assertThrows(InvalidArgumentException.class,
                () -> jobs.submit(new JobSpec("t", "n", 1, null, null, "{page: 1")));
        assertTrue(notJson.getMessage().contains("not JSON"), notJson.getMessage());
        assertThrows(InvalidArgumentException.class, () -> jobs.submit(new JobSpec(" ", "n", 1, null, null, "{}")));
        assertThrows(NotFoundException.class, () -> jobs.start("no-such-job"));
        assertEquals(before, FileState.of(file));
        assertEquals(JobStatus.PENDING, jobs.find(pending.id()).orElseThrow().status());
    }

    @Test
    void recoverInterruptedRequeuesJobsLeftRunningAndLogsTheInterruptedAttempt() {
        var jobs = db.hyperpage().jobs();
        var recovered = jobs.recoverInterrupted();
        assertEquals(3, recovered.size());
        for (var job : recovered) {
            assertEquals(JobStatus.PENDING, job.status());
            assertEquals(1, job.recoveryAttempts());
            var history = jobs.history(job.id());
            assertEquals(1, history.size());
            assertEquals(JobStatus.FAILED, history.get(0).status());
            assertTrue(history.get(0).errorMessage().startsWith("interrupted"));
        }
        // the fixture's gitlab job started at 1761603845943 and ran unlogged until now
        var gitlab = jobs.history("gitlab-1761603844069-kv6b23").get(0);
        assertEquals(Instant.ofEpochMilli(1761603845943L), gitlab.startedAt());
        assertEquals(0, jobs.countByStatus().get(JobStatus.RUNNING));
        assertTrue(jobs.recoverInterrupted().isEmpty());
        jobs.start("gitlab-1761603844069-kv6b23");
        var failed = jobs.recoverInterrupted(1);
        assertEquals(JobStatus.FAILED, failed.get(0).status());
        assertEquals(2, failed.get(0).recoveryAttempts());
        assertEquals(2, jobs.history("gitlab-1761603844069-kv6b23").size());
        assertEquals(2, jobs.history("gitlab-1761603844069-kv6b23").get(1).attempt());
    }

    /** What a tool's config JSON binds to. */
    record Endpoint(String baseUrl, int maxItems) {}

    @Test
    void toolConfigsReadThroughJacksonAndAreCachedUntilInvalidated() throws SQLException {
        var configs = db.hyperpage().toolConfigs();
        var github = configs.find("github").orElseThrow();
        assertEquals("https://github.example", github.config().get("baseUrl").asText());
        assertEquals(60_000L, github.refreshIntervalMs());
        assertEquals(new Endpoint("https://gitlab.example", 100), configs.config("gitlab", Endpoint.class).orElseThrow());
        assertEquals(3, configs.list().size());
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            c.createStatement().execute("UPDATE tool_configs SET config = '{\"baseUrl\": \"x\", \"maxItems\": 1}'"
                    + " WHERE tool_name = 'jira'");
        }
        assertEquals("https://jira.example", configs.config("jira", Endpoint.class).orElseThrow().baseUrl());
        configs.invalidate();
        assertEquals("x", configs.config("jira", Endpoint.class).orElseThrow().baseUrl());
        var saved = configs.upsert("linear", false, new ObjectMapper().createObjectNode().put("baseUrl", "l"), 5_000L,
                true);
        assertEquals("l", saved.config().get("baseUrl").asText());
        assertEquals(false, configs.find("linear").orElseThrow().enabled());
        configs.setConfig("linear", new Endpoint("https://linear.example", 7));
        assertEquals(7, configs.config("linear", Endpoint.class).orElseThrow().maxItems());
        assertThrows(NotFoundException.class, () -> configs.setConfig("nope", Map.of()));
        assertTrue(configs.delete("linear"));
        assertTrue(configs.find("linear").isEmpty());
    }

    @Test
    void aConfigThatIsNotJsonIsReportedWithItsTool() throws SQLException {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            c.createStatement().execute("UPDATE tool_configs SET config = '{broken' WHERE tool_name = 'gitlab'");
        }
        var e = assertThrows(CorruptDataException.class, () -> db.hyperpage().toolConfigs().find("github"));
        assertTrue(e.getMessage().contains("gitlab"), e.getMessage());
        var mismatch = assertThrows(CorruptDataException.class, () -> {
            try (var c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                c.createStatement().execute("UPDATE tool_configs SET config = '{\"maxItems\": \"many\"}'"
                        + " WHERE tool_name = 'gitlab'");
            }
            db.hyperpage().toolConfigs().invalidate();
            db.hyperpage().toolConfigs().config("gitlab", Endpoint.class);
        });
        assertTrue(mismatch.getMessage().contains("Endpoint"), mismatch.getMessage());
    }

    @Test
    void rateLimitsAndAppState() {
        var limits = db.hyperpage().rateLimits();
        var github = limits.find("github").orElseThrow();
        assertEquals("github:global", github.id());
        assertEquals(949L, github.limitRemaining());
        assertEquals(1000L, github.limitTotal());
        assertEquals(Instant.ofEpochMilli(1761607200000L), github.resetTime());
        assertEquals(0.949, github.remainingFraction().orElseThrow(), 1e-12);
        var updated = limits.update("github", 10L, 1000L, Instant.ofEpochMilli(1761610800000L));
        assertEquals(10L, updated.limitRemaining());
        assertEquals(github.createdAt(), updated.createdAt());
        assertThrows(InvalidArgumentException.class, () -> limits.update("github", 2000L, 1000L, null));
        assertEquals(10L, limits.find("github").orElseThrow().limitRemaining());
        assertEquals(3, limits.list().size());

        var state = db.hyperpage().appState();
        assertEquals("dark", state.get("theme").orElseThrow());
        assertEquals("{\"cols\": 3}", state.get("layout").orElseThrow());
        state.put("theme", "light");
        assertEquals("light", state.get("theme").orElseThrow());
        assertEquals(3, state.all().size());
        assertTrue(state.remove("theme"));
        assertTrue(state.get("theme").isEmpty());
        assertThrows(InvalidArgumentException.class, () -> state.put("", "x"));
    }

    @Test
    void openingReadWriteLeavesHyperpagesTablesAsTheyWere() throws SQLException {
        db.close();
        var fresh = Fixtures.copy("hyperpage.db", dir.resolve("fresh").toFile().mkdirs() ? dir.resolve("fresh") : dir);
        var before = Fixtures.schema(fresh);
        Pipescope.open(fresh).close();
        var after = Fixtures.schema(fresh);
        before.forEach((name, sql) -> assertEquals(sql, after.get(name), name));
        db = Pipescope.open(file);
    }

    @Test
    void readOnlyReadsAndRefusesWrites() {
        db.close();
        var ro = Fixtures.copy("hyperpage.db", dir.resolve("ro").toFile().mkdirs() ? dir.resolve("ro") : dir);
        var before = Fixtures.sha256(ro);
        try (var readOnly = Pipescope.openReadOnly(ro)) {
            assertEquals(41, readOnly.hyperpage().jobs().list(1000).size());
            assertThrows(ReadOnlyViolationException.class, () -> readOnly.hyperpage().jobs().recoverInterrupted());
            assertThrows(ReadOnlyViolationException.class, () -> readOnly.hyperpage().appState().put("k", "v"));
        }
        assertEquals(before, Fixtures.sha256(ro));
        db = Pipescope.open(file);
    }

    @Test
    void otherDatabasesHaveNoHyperpageStore() {
        try (var memory = Pipescope.inMemory()) {
            assertThrows(LayoutNotPresentException.class, memory::hyperpage);
        }
        try (var upstream = Pipescope.openReadOnly(Fixtures.copy("adaptive_pipeline.db", dir))) {
            var e = assertThrows(LayoutNotPresentException.class, upstream::hyperpage);
            assertTrue(e.getMessage().contains("Hyperpage"), e.getMessage());
        }
    }
}
