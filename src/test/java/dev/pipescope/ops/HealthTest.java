package dev.pipescope.ops;

import dev.pipescope.sqlite.Migrations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.Pipescope;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthTest {
    @TempDir
    Path dir;

    @Test
    void aFreshDatabaseWithoutBackupIsDegradedForThatReasonAlone() {
        var file = OpsTesting.database(dir, "h.db", 3);
        try (var db = Pipescope.open(file)) {
            var report = Health.check(db);
            assertEquals(HealthStatus.DEGRADED, report.status());
            assertEquals(1, report.reasons().size(), report.reasons().toString());
            assertTrue(report.reasons().get(0).startsWith("no backup in " + dir.resolve("backups")));
            assertTrue(report.connected());
            assertEquals(Optional.of("ok"), report.quickCheck());
            assertEquals(Optional.of(Migrations.latestVersion()), report.schemaVersion());
            assertEquals(List.of(), report.pendingMigrations());
            assertEquals(Optional.of("wal"), report.journalMode());
            assertEquals(Optional.of(5_000), report.busyTimeoutMs());
            assertEquals(Optional.of(file.toFile().length()), report.databaseBytes());
            assertEquals(Optional.of(file.toFile().length() / 4096), report.pageCount());
            assertEquals(OpsTesting.rowCounts(file), report.rowCounts());
            assertTrue(db.layouts().containsAll(Set.of(Layout.PIPESCOPE, Layout.ADAPTIVE_PIPELINE)));
            assertEquals(db.layouts(), report.layouts());

            Backups.of(db).create("now");
            var after = Health.check(db);
            assertEquals(HealthStatus.HEALTHY, after.status(), after.reasons().toString());
            assertTrue(after.lastBackupAge().orElseThrow().toMinutes() < 5);
        }
    }

    @Test
    void walGrowthAndRowsShowUp() {
        var file = OpsTesting.database(dir, "w.db", 1);
        try (var db = Pipescope.open(file)) {
            db.pipelines().save(Pipeline.builder("more").build());
            var report = Health.check(db);
            assertTrue(report.walBytes().orElseThrow() > 0, "uncheckpointed writes sit in the WAL");
            assertEquals(2L, report.rowCounts().get("pipelines"));
        }
    }

    @Test
    void anUpstreamFileOpenedReadOnlyReportsItsOwnJournalMode() {
        var file = Fixtures.copy("hyperpage.db", dir);
        try (var db = Pipescope.openReadOnly(file)) {
            var report = Health.check(db);
            assertEquals(Set.of(Layout.HYPERPAGE), report.layouts());
            assertEquals(Optional.empty(), report.schemaVersion());
            assertEquals(List.of(), report.pendingMigrations(), "not a Pipescope file: nothing is pending");
            assertEquals(OpsTesting.rowCounts(file), report.rowCounts());
            assertEquals(OpsTesting.strings(file, "PRAGMA journal_mode").get(0), report.journalMode().orElseThrow());
        }
    }

    @Test
    void anotherToolsFileWithoutABackupIsNotDegradedButSaysSo() {
        for (var fixture : List.of("hyperpage.db", "real/etl_core.db", "real/dagger_cache.db", "adaptive_pipeline.db")) {
            var file = Fixtures.copy(fixture, dir);
            try (var db = Pipescope.openReadOnly(file)) {
                var report = Health.check(db);
                assertEquals(HealthStatus.HEALTHY, report.status(), fixture + ": " + report.reasons());
                assertEquals(List.of(), report.reasons(), fixture);
                assertEquals(1, report.notes().size(), fixture + ": " + report.notes());
                assertTrue(report.notes().get(0).startsWith("no backup in ") && report.notes().get(0)
                        .contains("another tool's file"), report.notes().get(0));
                assertTrue(report.toString().contains("another tool's file"), report.toString());
                assertEquals(1, report.toJson(new com.fasterxml.jackson.databind.ObjectMapper()).get("notes").size());
            }
        }
    }

    @Test
    void rendersAsTextHtmlAndJson() {
        var file = OpsTesting.database(dir, "r.db", 2);
        try (var db = Pipescope.open(file)) {
            var report = Health.check(db);
            var text = report.toString();
            assertTrue(text.contains("status") && text.contains("degraded"), text);
            assertTrue(text.contains("rows in pipelines"), text);
            var html = report.toHtml();
            assertTrue(html.startsWith("<table") && html.contains("<th style=\"text-align:left\">quick_check</th>"), html);
            var json = report.toJson(new ObjectMapper());
            assertEquals("degraded", json.get("status").asText());
            assertEquals(2, json.get("rowCounts").get("pipelines").asLong());
            assertTrue(json.get("lastBackupAgeSeconds").isNull());
        }
    }

    @Test
    void theInMemoryDatabaseReportsWhatApplies() {
        try (var db = Pipescope.inMemory()) {
            db.pipelines().save(Pipeline.builder("one").build());
            var report = Health.check(db);
            assertEquals(HealthStatus.HEALTHY, report.status(), report.reasons().toString());
            assertEquals(1L, report.rowCounts().get("pipelines"));
            assertEquals(Optional.of("ok"), report.quickCheck());
            assertFalse(report.databaseBytes().isPresent());
        }
    }
}
