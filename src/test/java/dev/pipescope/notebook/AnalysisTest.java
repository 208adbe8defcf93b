package dev.pipescope.notebook;

import dev.pipescope.PipescopeDatabase;
import dev.pipescope.demo.DemoData;
import dev.pipescope.demo.DemoScale;
import dev.pipescope.domain.DagCache;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineRun;
import dev.pipescope.domain.RunMeasures;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.domain.Ulid;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.kernel.MimeBundle;
import dev.pipescope.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The analysis helpers on the demo database and on the real-format fixtures, checked against SQL and by hand. */
class AnalysisTest {

    /** Two days after the demo's newest run: its running runs have been silent since. */
    static final Instant CLOCK = DemoData.END.plus(Duration.ofDays(2));

    @TempDir
    static Path dir;
    static Path demoFile;
    static NotebookSession session;

    @BeforeAll
    static void demo() {
        demoFile = dir.resolve("demo.db");
        DemoData.create(demoFile, DemoScale.SMALL).close();
        session = new NotebookSession(Clock.fixed(CLOCK, ZoneOffset.UTC));
        session.open(demoFile);
    }

    @AfterAll
    static void close() {
        session.close();
    }

    static List<Long> longs(Path file, String sql) throws Exception {
        List<Long> values = new ArrayList<>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getLong(1));
            }
        }
        return values;
    }

    static NotebookSession fixture(String name, Instant clock) {
        NotebookSession s = new NotebookSession(Clock.fixed(clock, ZoneOffset.UTC));
        s.openReadOnly(Fixtures.file(name));
        return s;
    }

    // ---- 1. time windows ----

    @Test
    void theLastDaysOfDataEndAtTheNewestRunNotTheClock() throws Exception {
        Instant newest = Instant.ofEpochMilli(longs(demoFile, "SELECT max(CAST(strftime('%s', started_at) AS INTEGER) * 1000"
                + " + CAST(substr(started_at, 21, 3) AS INTEGER)) FROM pipeline_runs").get(0));
        // dagger nodes of the demo are older than its newest pipeline run
        TimeWindow week = session.window(Duration.ofDays(7));
        assertEquals(newest.plusMillis(1), week.to());
        assertEquals(Duration.ofDays(7), week.length());
        assertTrue(week.toString().startsWith("last 7 days of data: "), week.toString());

        Table runs = session.runs(Duration.ofDays(7));
        assertTrue(runs.name().contains(week.toString()), runs.name());
        InstantColumn started = runs.instantColumn("started_at");
        for (int row = 0; row < runs.rowCount(); row++) {
            Instant t = started.isMissing(row) ? runs.instantColumn("finished_at").get(row) : started.get(row);
            assertTrue(week.contains(t), "row " + row + " at " + t + " outside " + week);
        }
        // every run of the file in the window, counted by hand from allRuns()
        Table all = session.allRuns();
        long inside = 0;
        for (int row = 0; row < all.rowCount(); row++) {
            Instant t = all.instantColumn("started_at").isMissing(row) ? all.instantColumn("finished_at").get(row)
                    : all.instantColumn("started_at").get(row);
            if (t != null && week.contains(t)) {
                inside++;
            }
        }
        assertEquals(inside, runs.rowCount());
        assertTrue(inside > 100 && inside < all.rowCount(), inside + " of " + all.rowCount());
    }

    @Test
    void statsOfAWindowUseNearestRankAsStatsDoesInSql() throws Exception {
        TimeWindow everything = session.window(Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("2100-01-01T00:00:00Z"));
        Table windowed = session.stats(everything);
        Table sql = session.stats();
        assertTrue(windowed.name().contains("2000-01-01"), windowed.name());
        assertTrue(sql.columnNames().contains("p95_duration_ms (nearest rank)"), sql.columnNames().toString());
        for (int row = 0; row < sql.rowCount(); row++) {
            String pipeline = sql.stringColumn("pipeline").get(row);
            Table mine = windowed.where(windowed.stringColumn("pipeline").isEqualTo(pipeline)
                    .and(windowed.stringColumn("source").isEqualTo("pipescope")));
            assertEquals(1, mine.rowCount(), pipeline);
            for (String column : List.of(Comparisons.P50, Comparisons.P95, "runs", "succeeded", "failed", "running")) {
                assertEquals(((Number) sql.column(column).get(row)).longValue(), ((Number) mine.column(column).get(0)).longValue(),
                        pipeline + " " + column);
            }
            assertEquals(sql.doubleColumn("throughput_mean").get(row), mine.doubleColumn("throughput_mean").get(0),
                    1e-6 * sql.doubleColumn("throughput_mean").get(row), pipeline);
        }

        // a window's p95 from the durations SQL lists for it, ranked by hand
        TimeWindow week = session.window(Duration.ofDays(7));
        Table stats = session.stats(Duration.ofDays(7));
        String pipeline = stats.stringColumn("pipeline").get(0);
        List<Long> durations = longs(demoFile, "SELECT r.duration_ms FROM pipeline_runs r JOIN pipelines p ON p.id = r.pipeline_id"
                + " WHERE p.name = '" + pipeline + "' AND r.status = 'succeeded' AND r.started_at >= '"
                + week.from() + "' AND r.started_at < '" + week.to() + "' ORDER BY r.duration_ms");
        assertFalse(durations.isEmpty());
        long expected = durations.get((int) Math.ceil(0.95 * durations.size()) - 1);
        assertEquals(expected, stats.longColumn(Comparisons.P95).get(0));
    }

    @Test
    void windowsAreCheckedAndNamed() {
        assertThrows(InvalidArgumentException.class, () -> TimeWindow.of("2025-10-02T00:00:00Z", "2025-10-01T00:00:00Z"));
        var e = assertThrows(InvalidArgumentException.class, () -> TimeWindow.of("yesterday", "2025-10-01T00:00:00Z"));
        assertTrue(e.getMessage().contains("yesterday"), e.getMessage());
        assertThrows(InvalidArgumentException.class, () -> session.window(Duration.ZERO));
        TimeWindow w = TimeWindow.of("2025-10-08T00:00:00Z", "2025-10-15T00:00:00Z");
        assertEquals(TimeWindow.of("2025-10-01T00:00:00Z", "2025-10-08T00:00:00Z").from(), w.previous().from());
        assertEquals("the 7 days before", w.previous().label());
        assertEquals("90 minutes", TimeWindow.words(Duration.ofMinutes(90)));
    }

    // ---- 2. comparison and regressions ----

    /** Adds {@code count} succeeded runs of {@code pipeline} in the demo's last week, {@code factor} times as long as usual. */
    static void slowDown(PipescopeDatabase db, Pipeline pipeline, int count, double factor) {
        List<PipelineRun> runs = new ArrayList<>();
        Random random = new Random(7);
        var typical = db.runs().stats(pipeline.id());
        for (int i = 0; i < count; i++) {
            Instant start = DemoData.END.minus(Duration.ofHours(1 + i * 3L));
            long duration = (long) (typical.p50DurationMs() * factor * (0.9 + 0.2 * random.nextDouble()));
            long bytes = 100_000_000L;
            runs.add(new PipelineRun(Ulid.at(start, random), pipeline.id(), RunStatus.SUCCEEDED, 1, start,
                    start.plusMillis(duration), start.plusMillis(duration), duration,
                    new RunMeasures(bytes, bytes, 1, 1, bytes * 1000.0 / duration, null, 0, 0, bytes, bytes, null, null), null));
        }
        db.runs().recordAll(runs);
    }

    @Test
    void aPipelineThatGotSlowerComesFirstAndIsASignificantRegression(@TempDir Path temp) {
        Path file = temp.resolve("slower.db");
        String victim;
        try (var db = DemoData.create(file, DemoScale.SMALL)) {
            // the quietest pipeline: 40 slow runs move its median, not only its tail
            Pipeline p = db.pipelines().listActive().stream()
                    .min(java.util.Comparator.comparingLong(q -> db.runs().stats(q.id()).count())).orElseThrow();
            victim = p.name();
            slowDown(db, p, 40, 3.0);
        }
        try (var s = new NotebookSession()) {
            s.open(file);
            Table compared = s.compare(Duration.ofDays(7));
            assertEquals(victim, compared.stringColumn("pipeline").get(0), compared.print(3));
            assertTrue(compared.doubleColumn("worse_by_percent").get(0) > 100, compared.print(3));
            assertTrue(compared.name().contains("the 7 days before") && compared.name().contains("last 7 days of data"),
                    compared.name());
            // sorted by how much worse, pipelines in one period only last
            DoubleColumn worse = compared.doubleColumn("worse_by_percent");
            for (int row = 1; row < compared.rowCount(); row++) {
                assertTrue(worse.isMissing(row) || (!worse.isMissing(row - 1) && worse.get(row - 1) >= worse.get(row)));
            }

            Table found = s.regressions();
            Table mine = found.where(found.stringColumn("pipeline").isEqualTo(victim));
            assertTrue(mine.stringColumn("measure").asList().contains("duration (succeeded runs, median)"), found.print());
            int row = mine.stringColumn("measure").indexOf("duration (succeeded runs, median)");
            assertTrue(mine.doubleColumn("p_value").get(row) < 1e-6, mine.print());
            assertEquals("Mann–Whitney U", mine.stringColumn("test").get(row));
            assertTrue(mine.longColumn("recent_runs").get(row) >= 40);
            assertTrue(mine.stringColumn("recent_window").get(row).startsWith("last 7 days of data"));
            assertTrue(mine.stringColumn("baseline_window").get(row).startsWith("the 28 days before"));
            // only the slowed pipeline regressed: the rest is the demo's steady noise
            assertEquals(Set.of(victim), new TreeSet<>(found.stringColumn("pipeline").asList()), found.print());
        }
    }

    @Test
    void noiseIsNotReported() {
        Table found = session.regressions();
        assertEquals(0, found.rowCount(), found.print());
        assertTrue(found.name().contains("Bonferroni") && found.name().contains("tests"), found.name());
    }

    @Test
    void fishersExactTestMatchesTheTextbook() {
        // Fisher's tea-tasting style table [[1, 9], [11, 3]]: two-sided p = 0.002759 (R: fisher.test)
        assertEquals(0.002759, Regressions.fisherExact(1, 9, 11, 3), 1e-6);
        assertEquals(1.0, Regressions.fisherExact(5, 5, 5, 5), 1e-9);
    }

    // ---- 3. one percentile definition ----

    @Test
    void percentileIsNearestRankUnlikeTablesaws() {
        Table t = Table.create("t", DoubleColumn.create("x", 15, 20, 35, 40, 50), LongColumn.create("n", 5, 4, 3, 2, 1));
        assertEquals(20, Percentiles.of(t, "x", 30));
        assertEquals(20, Percentiles.of(t, "x", 40));
        assertEquals(35, Percentiles.of(t, "x", 50));
        assertEquals(50, Percentiles.of(t, "x", 100));
        assertEquals(1, Percentiles.of(t, "n", 1));
        // tablesaw interpolates: not one of the values
        assertTrue(t.doubleColumn("x").percentile(30) != 20.0);
        assertThrows(InvalidArgumentException.class, () -> Percentiles.of(t, "x", 0));
        assertThrows(InvalidArgumentException.class, () -> Percentiles.of(t, "missing", 50));
        Table empty = Table.create("e", DoubleColumn.create("x"));
        empty.doubleColumn("x").appendMissing();
        assertThrows(InvalidArgumentException.class, () -> Percentiles.of(empty, "x", 50));
        assertEquals(Formats.Kind.DURATION_MS, Formats.kindOf("p95_duration_ms (nearest rank)"));
    }

    // ---- 4. time buckets ----

    static Table handmade() {
        return Table.create("handmade",
                StringColumn.create("pipeline", "a", "a", "b", "a", "b"),
                StringColumn.create("status", "succeeded", "failed", "succeeded", "succeeded", "running"),
                InstantColumn.create("started_at", new Instant[] {Instant.parse("2025-10-01T00:10:00Z"),
                        Instant.parse("2025-10-01T00:20:00Z"), Instant.parse("2025-10-01T00:50:00Z"),
                        Instant.parse("2025-10-01T03:05:00Z"), null}),
                InstantColumn.create("finished_at", new Instant[] {Instant.parse("2025-10-01T00:11:00Z"),
                        Instant.parse("2025-10-01T00:21:00Z"), Instant.parse("2025-10-01T00:55:00Z"),
                        Instant.parse("2025-10-01T03:09:00Z"), null}),
                LongColumn.create("duration_ms", new long[] {60_000, 60_000, 300_000, 240_000, 0}),
                DoubleColumn.create("throughput_bytes_per_s", 10.0, 1.0, 30.0, 20.0, Double.NaN));
    }

    @Test
    void countsFillEmptyBucketsAndSayWhatTheyCouldNotPlace() {
        Table t = handmade();
        t.longColumn("duration_ms").setMissing(4);
        Table counts = TimeBuckets.counts(t, Duration.ofHours(1));
        assertEquals(List.of(Instant.parse("2025-10-01T00:00:00Z"), Instant.parse("2025-10-01T01:00:00Z"),
                Instant.parse("2025-10-01T02:00:00Z"), Instant.parse("2025-10-01T03:00:00Z")), counts.instantColumn("bucket").asList());
        assertEquals(List.of(3L, 0L, 0L, 1L), counts.longColumn("runs").asList());
        assertEquals(List.of(1L, 0L, 0L, 0L), counts.longColumn("failed").asList());
        assertEquals(List.of(2L, 0L, 0L, 1L), counts.longColumn("succeeded").asList());
        assertTrue(counts.name().contains("1 runs without a time"), counts.name());
        // charts directly
        assertTrue(Charts.chart(counts, "bucket", "failed", "succeeded").svg().startsWith("<svg"));
    }

    @Test
    void seriesAggregatesSucceededRunsPerPipelineAndBucket() {
        Table s = TimeBuckets.series(handmade(), Duration.ofHours(1), "throughput");
        Table a = s.where(s.stringColumn("pipeline").isEqualTo("a"));
        assertEquals(4, a.rowCount());
        assertEquals(List.of(1L, 0L, 0L, 1L), a.longColumn("runs").asList());
        assertEquals(10.0, a.doubleColumn("throughput_mean").get(0));
        assertTrue(a.doubleColumn("throughput_p95 (nearest rank)").isMissing(1));
        Table b = s.where(s.stringColumn("pipeline").isEqualTo("b"));
        assertEquals(1, b.rowCount());
        assertEquals(30.0, b.doubleColumn("throughput_p50 (nearest rank)").get(0));
        assertTrue(Charts.chart(a, "bucket", "throughput_p95 (nearest rank)").svg().startsWith("<svg"));
        assertThrows(InvalidArgumentException.class, () -> TimeBuckets.series(handmade(), Duration.ofHours(1), "speed"));
        assertThrows(InvalidArgumentException.class, () -> TimeBuckets.counts(handmade(), Duration.ZERO));
    }

    @Test
    void hourlyCountsOfTheDemoCoverEveryRunOfTheWindow() {
        Table runs = session.runs(Duration.ofDays(2));
        Table counts = NotebookSession.counts(runs, Duration.ofHours(1));
        assertEquals(runs.rowCount(), (long) counts.longColumn("runs").sum());
        assertEquals((long) runs.where(runs.stringColumn("status").isEqualTo("failed")).rowCount(),
                (long) counts.longColumn("failed").sum());
        InstantColumn buckets = counts.instantColumn("bucket");
        for (int row = 1; row < counts.rowCount(); row++) {
            assertEquals(Duration.ofHours(1), Duration.between(buckets.get(row - 1), buckets.get(row)));
        }
        Table series = NotebookSession.series(runs, Duration.ofDays(1), "duration");
        assertTrue(series.columnNames().contains("duration_p95_ms (nearest rank)"), series.columnNames().toString());
    }

    // ---- 5. as-of snapshots ----

    @Test
    void theSnapshotInForceAtAnInstantOnDaggersOwnFile() {
        try (var s = fixture("dagger_cache.db", CLOCK)) {
            Table asOf = s.snapshot("train_model", Instant.parse("2025-09-22T12:21:15Z"));
            assertTrue(asOf.name().startsWith("snapshot 3 of train_model as of 2025-09-22 12:21:15.000Z"), asOf.name());
            assertTrue(asOf.name().contains("in force since 2025-09-22 12:21:00.165Z"), asOf.name());
            Table three = s.snapshot("train_model", 3);
            assertEquals(three.stringColumn("json").asList(), asOf.stringColumn("json").asList());
            // exactly at a snapshot's time: that snapshot
            assertTrue(s.snapshot("train_model", Instant.parse("2025-09-22T12:21:30.701276063Z")).name()
                    .startsWith("snapshot 4 "));
            var e = assertThrows(NotFoundException.class, () -> s.snapshot("train_model", Instant.parse("2025-09-22T12:00:00Z")));
            assertTrue(e.getMessage().contains("2025-09-22T12:20:00.299566268Z"), e.getMessage());

            // the library's own as-of call renders as the node × key table
            Optional<DagCache> cache = s.db().dags().loadSnapshot("train_model", Instant.parse("2025-09-22T12:21:15Z"));
            MimeBundle bundle = PipescopeIntegration.renderOptional(cache, s);
            String html = (String) bundle.data().get("text/html");
            assertEquals(three.rowCount(), TableRendererTest.bodyRows(html));
            assertFalse(html.contains("DagCache["), html);
            assertTrue(html.contains("<td>train_validate</td><td>output</td><td>array</td>"), html);
            assertNull(PipescopeIntegration.renderOptional(Optional.empty(), s));
            assertNull(PipescopeIntegration.renderOptional(Optional.of(42), s));
        }
    }

    // ---- 6. timelines and overlaps ----

    @Test
    void timelineDrawsALanePerPipelineAndMarksFailures() {
        Chart chart = NotebookSession.timeline(handmade());
        assertTrue(chart.svg().startsWith("<svg"));
        assertTrue(chart.title().contains("4 runs in 2 lanes") && chart.title().contains("1 runs without a time"), chart.title());
        assertTrue(chart.svg().contains(">a<") || chart.svg().contains(">a</"), "lane label");
        // failed bars are red (214, 59, 47), and crossed
        assertTrue(chart.svg().contains("rgb(214,59,47)") || chart.svg().contains("#d63b2f"), "no failed bar");
        Table noFailure = handmade().where(handmade().stringColumn("status").isNotEqualTo("failed"));
        assertFalse(NotebookSession.timeline(noFailure).svg().contains("rgb(214,59,47)"));

        Table week = session.runs(Duration.ofDays(1));
        Chart demo = NotebookSession.timeline(week);
        assertTrue(demo.title().contains(week.rowCount() + " runs"), demo.title());
        try (var s = fixture("hyperpage.db", CLOCK)) {
            Chart bySource = NotebookSession.timeline(s.allRuns(), "source");
            assertTrue(bySource.title().contains("in 1 lanes"), bySource.title());
            assertFalse(bySource.title().contains("without a time"), bySource.title());
        }
    }

    @Test
    void concurrentListsEveryRunOverlappingTheSlowest() {
        Table slowest = session.slowest(1);
        String id = slowest.stringColumn("id").get(0);
        Table overlapping = session.concurrent(id);
        assertEquals(id, overlapping.stringColumn("id").get(0));
        Instant from = slowest.instantColumn("started_at").get(0);
        Instant to = slowest.instantColumn("finished_at").get(0);
        // by hand: every run of the file that started before the slowest ended and ended after it started
        Table all = session.allRuns();
        Set<String> expected = new TreeSet<>();
        for (int row = 0; row < all.rowCount(); row++) {
            Instant s = all.instantColumn("started_at").get(row);
            Instant e = all.instantColumn("finished_at").get(row);
            if (s == null) {
                s = e.minusMillis(all.longColumn("duration_ms").isMissing(row) ? 0 : all.longColumn("duration_ms").get(row));
            }
            if (e == null) {
                e = DemoData.END.plus(Duration.ofDays(1000));
            }
            if (!s.isAfter(to) && !e.isBefore(from)) {
                expected.add(all.stringColumn("id").get(row));
            }
        }
        assertEquals(expected, new TreeSet<>(overlapping.stringColumn("id").asList()));
        assertTrue(overlapping.name().contains("the run and " + (overlapping.rowCount() - 1) + " others"), overlapping.name());
        assertThrows(NotFoundException.class, () -> session.concurrent("no-such-run"));
    }

    @Test
    void concurrentOnHyperpagesFile() {
        try (var s = fixture("hyperpage.db", CLOCK)) {
            Table all = s.allRuns();
            Table longest = NotebookSession.slowest(all, 1);
            String id = longest.stringColumn("id").get(0);
            Table overlapping = s.concurrent(id);
            Instant from = longest.instantColumn("started_at").get(0);
            Instant to = longest.instantColumn("finished_at").get(0);
            long expected = 0;
            for (int row = 0; row < all.rowCount(); row++) {
                Instant b = all.instantColumn("started_at").get(row);
                Instant e = all.instantColumn("finished_at").get(row);
                if (b != null && !b.isAfter(to) && (e == null || !e.isBefore(from))) {
                    expected++;
                }
            }
            assertEquals(expected, overlapping.rowCount(), overlapping.print());
            assertTrue(expected > 1, "the fixture's longest job ran alongside others");
            for (int row = 0; row < overlapping.rowCount(); row++) {
                assertTrue(overlapping.longColumn("overlap_ms").get(row) >= 0);
            }
        }
    }

    // ---- 7. stale work of every tool ----

    @Test
    void staleWorkOfEveryTool() {
        // the demo leaves work running in every tool; two days after its end all of it is stale
        Table demo = session.stale(Duration.ofHours(1));
        long running = session.sql("SELECT (SELECT count(*) FROM pipeline_runs WHERE status = 'running')"
                + " + (SELECT count(*) FROM jobs WHERE status = 'running')"
                + " + (SELECT count(*) FROM executiontable WHERE status = 'RUNNING') AS n").longColumn("n").get(0);
        assertEquals(running, demo.rowCount(), demo.print());
        assertEquals(Set.of("pipescope", "hyperpage", "etl"), new TreeSet<>(demo.stringColumn("source").asList()));
        for (int row = 0; row < demo.rowCount(); row++) {
            assertTrue(demo.longColumn("silent_for_ms").get(row) >= Duration.ofHours(1).toMillis(), demo.print());
            assertFalse(demo.stringColumn("pipeline").isMissing().contains(row), demo.print());
        }
        // the two runs a dead process left days before the end are the longest silent ones
        assertTrue(demo.longColumn("running_for_ms").get(0) > Duration.ofDays(4).toMillis(), demo.print());
        assertEquals(0, session.stale(Duration.ofDays(3650)).rowCount());

        Instant later = Instant.parse("2025-10-28T00:00:00Z");
        try (var s = fixture("hyperpage.db", later)) {
            Table jobs = s.stale(Duration.ofMinutes(30));
            assertEquals(3, jobs.rowCount(), jobs.print());
            assertEquals(Set.of("hyperpage"), new TreeSet<>(jobs.stringColumn("source").asList()));
            assertFalse(jobs.stringColumn("pipeline").isMissing().size() > 0, jobs.print());
            assertEquals("updated_at", jobs.stringColumn("judged_by").get(0));
        }
        try (var s = fixture("etl_core.db", later)) {
            Table executions = s.stale(Duration.ofHours(1));
            assertEquals(7, executions.rowCount(), executions.print());
            assertEquals("etl", executions.stringColumn("source").get(0));
            assertEquals("started_at (no heartbeat)", executions.stringColumn("judged_by").get(0));
        }
    }

    // ---- 9. rankings put missing values last ----

    @Test
    void theSlowestRunHasADuration() {
        Table all = session.allRuns();
        // tablesaw alone: the "slowest" run is one still running, without a duration
        assertTrue(all.sortDescendingOn("duration_ms").longColumn("duration_ms").isMissing(0));
        Table slowest = session.slowest(5);
        assertEquals(5, slowest.rowCount());
        assertEquals((long) all.longColumn("duration_ms").max(), slowest.longColumn("duration_ms").get(0));
        assertFalse(slowest.longColumn("duration_ms").isMissing(4));
        Table fastest = session.fastest(3);
        assertEquals((long) all.longColumn("duration_ms").min(), fastest.longColumn("duration_ms").get(0));
        Table sorted = NotebookSession.sortMissingLast(all, "duration_ms", true);
        assertEquals(all.rowCount(), sorted.rowCount());
        assertTrue(sorted.longColumn("duration_ms").isMissing(sorted.rowCount() - 1));
        assertFalse(sorted.longColumn("duration_ms").isMissing(0));
        assertThrows(InvalidArgumentException.class, () -> session.slowest(0));
    }

    // ---- real-format fixtures ----

    @Test
    void windowsComparisonsAndBucketsOnOtherToolsFiles() {
        try (var s = fixture("etl_core.db", CLOCK)) {
            TimeWindow last = s.window(Duration.ofHours(2));
            Table stats = s.stats(last);
            assertTrue(stats.rowCount() > 0);
            assertEquals(Set.of("etl"), new TreeSet<>(stats.stringColumn("source").asList()));
            long inWindow = s.runs(last).rowCount();
            assertEquals(inWindow, (long) stats.longColumn("runs").sum());
            Table compared = s.compare(Duration.ofHours(2));
            assertTrue(compared.rowCount() > 0, compared.print());
        }
        try (var s = fixture("hyperpage.db", CLOCK)) {
            Table counts = NotebookSession.counts(s.allRuns(), Duration.ofMinutes(10));
            // every Hyperpage job sits on the time axis (created_at when it never started), and a timeout fails
            assertEquals(s.allRuns().rowCount(), (long) counts.longColumn("runs").sum());
            assertEquals(5L + 8L, (long) counts.longColumn("failed").sum());
            assertFalse(counts.columnNames().contains("timed_out"));
            Table stats = s.stats(Duration.ofDays(1));
            assertNotNull(stats.column("failed"));
        }
    }
}
