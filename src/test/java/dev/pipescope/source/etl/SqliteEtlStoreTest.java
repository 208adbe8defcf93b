package dev.pipescope.source.etl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.EtlExecution;
import dev.pipescope.domain.EtlExecutionQuery;
import dev.pipescope.domain.EtlExecutionQuery.Sort;
import dev.pipescope.domain.Layout;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.LayoutNotPresentException;
import dev.pipescope.testing.Fixtures;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ETL framework's tables, on a copy of {@code etl_core.db} opened read-only (nothing here writes). */
class SqliteEtlStoreTest {
    /** The fixture was written on a machine in UTC: its naive times are read in UTC whatever this machine's zone. */
    static final dev.pipescope.ConnectionSettings UTC_WRITER = dev.pipescope.ConnectionSettings.readOnlyDefaults().withNaiveTimeZone(java.time.ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void readsJobsComponentsAndExecutionsWithAttempts() {
        var file = Fixtures.copy("etl_core.db", dir);
        var before = Fixtures.sha256(file);
        try (var db = Pipescope.open(file, UTC_WRITER)) {
            assertTrue(db.layouts().contains(Layout.ETL));
            var etl = db.etl();
            assertEquals(List.of("job_events_0", "job_images_4", "job_mail_1", "job_snapshots_2", "job_videos_3"),
                    etl.jobs().stream().map(j -> j.name()).toList());
            var mail = etl.job("61b95afe-cb8c-44bf-995f-3da027d5b392").orElseThrow();
            assertEquals(3, mail.numOfRetries());
            assertEquals("BIGDATA", mail.strategyType());
            var components = etl.components("4d7be03f-a1fa-4df8-b82a-1bd2e5f84260");
            assertEquals(List.of("filter_0", "join_1", "write_db_2"), components.stream().map(c -> c.name()).toList());
            assertEquals(500, components.get(0).payload().path("options").path("batch").asInt());
            var failed = etl.execution("a78826d6-11ae-4297-9f9c-3b5bbeb2cca9").orElseThrow();
            assertEquals("FAILED", failed.status());
            assertEquals("PROD", failed.environment());
            assertEquals("ValueError: bad row 17", failed.error());
            assertEquals(Instant.parse("2025-09-25T13:33:20.977472Z"), failed.startedAt());
            assertEquals(List.of(1, 2, 3), failed.attempts().stream().map(a -> a.attemptIndex()).toList());
            assertEquals(Instant.parse("2025-09-25T13:33:22.477472Z"), failed.attempts().get(0).finishedAt());
            assertTrue(etl.execution("missing").isEmpty());
        }
        assertEquals(before, Fixtures.sha256(file));
    }

    @Test
    void listExecutionsFiltersSortsAndLimits() {
        try (var db = Pipescope.open(Fixtures.copy("etl_core.db", dir), UTC_WRITER)) {
            var etl = db.etl();
            // expected counts from sqlite3 on the fixture
            assertEquals(16, etl.listExecutions(EtlExecutionQuery.all()).size());
            assertEquals(7, etl.listExecutions(EtlExecutionQuery.all().status("RUNNING")).size());
            assertEquals(5, etl.listExecutions(EtlExecutionQuery.all().environment("PROD")).size());
            assertEquals(4, etl.listExecutions(EtlExecutionQuery.all().environment("TEST")).size());
            assertEquals(1, etl.listExecutions(EtlExecutionQuery.all().environment("PROD").status("FAILED")).size());
            assertEquals(11, etl.listExecutions(EtlExecutionQuery.all().between(
                    Instant.parse("2025-09-25T15:00:00Z"), Instant.parse("2025-09-26T00:00:00Z"))).size());
            var ofJob = etl.listExecutions(EtlExecutionQuery.all().job("61b95afe-cb8c-44bf-995f-3da027d5b392"));
            assertTrue(ofJob.stream().allMatch(e -> e.jobId().equals("61b95afe-cb8c-44bf-995f-3da027d5b392")));
            var newest = etl.listExecutions(EtlExecutionQuery.all());
            for (int i = 1; i < newest.size(); i++) {
                assertTrue(!newest.get(i).startedAt().isAfter(newest.get(i - 1).startedAt()));
            }
            var oldest = etl.listExecutions(EtlExecutionQuery.all().sort(Sort.OLDEST_FIRST).limit(1));
            assertEquals("a78826d6-11ae-4297-9f9c-3b5bbeb2cca9", oldest.get(0).id());
            var longest = etl.listExecutions(EtlExecutionQuery.all().sort(Sort.LONGEST_FIRST).limit(3));
            assertEquals(List.of("7cc8d334-a03b-4b0b-a48a-e5e08b044551", "277f7617-27cf-41fb-aaff-520b49db5c12",
                    "feec111e-a032-4015-a855-8c5d40e4c612"), longest.stream().map(EtlExecution::id).toList());
            assertEquals(1, longest.get(0).attempts().size());
            assertThrows(InvalidArgumentException.class, () -> EtlExecutionQuery.all().limit(0));
        }
    }

    @Test
    void aBadStoredValueNamesItsRow() throws Exception {
        var file = Fixtures.copy("etl_core.db", dir);
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            c.createStatement().execute("UPDATE componenttable SET payload = '{oops' WHERE name = 'join_1'");
            c.createStatement().execute("UPDATE executiontable SET started_at = 'soon' WHERE id = "
                    + "'cc564cc8-70e6-431e-975b-3db1d0ee4266'");
        }
        try (var db = Pipescope.open(file, UTC_WRITER)) {
            var payload = assertThrows(CorruptDataException.class,
                    () -> db.etl().components("4d7be03f-a1fa-4df8-b82a-1bd2e5f84260"));
            assertTrue(payload.getMessage().contains("componenttable"), payload.getMessage());
            var time = assertThrows(CorruptDataException.class,
                    () -> db.etl().execution("cc564cc8-70e6-431e-975b-3db1d0ee4266"));
            assertTrue(time.getMessage().contains("cc564cc8") && time.getMessage().contains("soon"), time.getMessage());
        }
    }

    @Test
    void otherDatabasesHaveNoEtlStore() {
        try (var memory = Pipescope.inMemory()) {
            assertThrows(LayoutNotPresentException.class, memory::etl);
        }
        try (var hyperpage = Pipescope.openReadOnly(Fixtures.copy("hyperpage.db", dir))) {
            assertThrows(LayoutNotPresentException.class, hyperpage::etl);
        }
    }

    @Test
    void naiveTimesAreReadInTheZoneTheFileWasOpenedWith() {
        var file = Fixtures.copy("real/etl_core.db", dir);
        var berlin = java.time.ZoneId.of("Europe/Berlin");
        try (var utc = Pipescope.open(file, UTC_WRITER);
             var local = Pipescope.open(file, dev.pipescope.ConnectionSettings.readOnlyDefaults().withNaiveTimeZone(berlin))) {
            var inUtc = utc.etl().listExecutions(dev.pipescope.domain.EtlExecutionQuery.all().limit(10_000));
            var inBerlin = local.etl().listExecutions(dev.pipescope.domain.EtlExecutionQuery.all().limit(10_000));
            assertEquals(inUtc.size(), inBerlin.size());
            assertTrue(inUtc.size() >= 7, inUtc.toString());
            for (int i = 0; i < inUtc.size(); i++) {
                var a = inUtc.get(i);
                var b = inBerlin.get(i);
                assertEquals(a.id(), b.id());
                // 09:54 written in Berlin (UTC+1 in November) happened at 08:54 UTC
                assertEquals(a.startedAt().minus(java.time.Duration.ofHours(1)), b.startedAt(), a.id());
            }
            // a time window means the same instants in both: the bounds are written as the tool writes times
            var first = inUtc.stream().map(e -> e.startedAt()).min(Instant::compareTo).orElseThrow();
            var window = dev.pipescope.domain.RunFilter.capped().between(first.minus(java.time.Duration.ofHours(1)),
                    first.minusSeconds(1800));
            assertEquals(1, local.runs().unified(window).stream().filter(r -> r.source() == dev.pipescope.domain.RunSource.ETL)
                    .filter(r -> r.start().equals(first.minus(java.time.Duration.ofHours(1)))).count());
            assertTrue(utc.runs().unified(window).isEmpty());
        }
    }

    @Test
    void theZoneOfNaiveTimesIsThisMachinesUnlessSaid() {
        assertEquals(java.time.ZoneId.systemDefault(), dev.pipescope.ConnectionSettings.readOnlyDefaults().naiveTimeZone());
        assertEquals(java.time.ZoneId.systemDefault(), dev.pipescope.ConnectionSettings.readWrite().naiveTimeZone());
        assertThrows(dev.pipescope.error.InvalidArgumentException.class,
                () -> dev.pipescope.ConnectionSettings.readWrite().withNaiveTimeZone(null));
    }

    @Test
    void componentLinksAndSchedulesAreReadAsEtlCoreWroteThem() throws Exception {
        var file = Fixtures.copy("real/etl_core.db", dir);
        try (var db = Pipescope.open(file, UTC_WRITER);
             var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file)) {
            var job = db.etl().jobs().stream().filter(j -> j.name().equals("orders_csv_to_csv")).findFirst().orElseThrow();
            var links = db.etl().links(job.id());
            var rs = c.createStatement().executeQuery("SELECT count(*) FROM componentlinktable WHERE job_id = '"
                    + job.id() + "'");
            rs.next();
            assertEquals(rs.getInt(1), links.size());
            assertTrue(links.size() >= 1);
            var components = db.etl().components(job.id()).stream()
                    .collect(java.util.stream.Collectors.toMap(dev.pipescope.domain.EtlComponent::id,
                            dev.pipescope.domain.EtlComponent::name));
            assertEquals("reader", components.get(links.get(0).srcComponentId()));
            assertEquals("writer", components.get(links.get(0).dstComponentId()));
            assertEquals("out", links.get(0).srcOutPort());
            assertEquals("in", links.get(0).dstInPort());

            var schedules = db.etl().schedules();
            assertEquals(1, schedules.size());
            var schedule = schedules.get(0);
            assertEquals("nightly-orders", schedule.name());
            assertEquals(job.id(), schedule.jobId());
            assertEquals("cron", schedule.triggerType());
            assertEquals("{\"hour\": 2, \"minute\": 30}", schedule.triggerArgs());
            assertTrue(schedule.paused());
            assertEquals(Instant.parse("2026-11-29T09:54:30.286791Z"), schedule.createdAt());
        }
        // an etl-core file from before links and schedules were kept: empty, not an error
        try (var db = Pipescope.open(Fixtures.file("etl_core.db"), UTC_WRITER)) {
            assertTrue(db.etl().schedules().isEmpty());
            assertTrue(db.etl().links(db.etl().jobs().get(0).id()).isEmpty());
        }
    }
}
