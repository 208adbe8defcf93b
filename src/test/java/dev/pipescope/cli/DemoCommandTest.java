package dev.pipescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.demo.DemoData;
import dev.pipescope.demo.DemoScale;
import dev.pipescope.testing.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pipescope demo} mirrors {@code Pipescope.demo}: same data, JSON for scripts, clear refusals. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void createsTheSmallDemoAndReportsItsRows() {
        var file = dir.resolve("demo.db");
        var result = MainTest.run("demo", "--json", "--seed", "7", file.toString());
        assertEquals(0, result.code(), result.err());
        var json = result.json();
        assertEquals("SMALL", json.get("scale").asText());
        assertEquals(DemoScale.SMALL.pipelines() + DemoData.ARCHIVED, json.get("rowCounts").get("pipelines").asInt());
        assertEquals(DemoScale.SMALL.runs(), json.get("rowCounts").get("pipeline_runs").asInt());
        assertEquals((long) DemoScale.SMALL.dags() * DemoScale.SMALL.snapshotsPerDag(),
                json.get("rowCounts").get("snapshots").asLong());
        try (var db = Pipescope.openReadOnly(file)) {
            assertEquals(DemoScale.SMALL.dags(), db.dags().dagIds().size());
        }
        var text = MainTest.run("demo", dir.resolve("other.db").toString());
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().startsWith("created " + dir.resolve("other.db")), text.out());
    }

    @Test
    void anExistingFileIsRefusedUntouched() {
        var file = Fixtures.copy("adaptive_pipeline.db", dir);
        var before = Fixtures.sha256(file);
        var result = MainTest.run("demo", file.toString());
        assertEquals(ExitCodes.USAGE, result.code());
        assertTrue(result.err().contains("already exists"), result.err());
        assertEquals(before, Fixtures.sha256(file));
    }

    @Test
    void anUnknownScaleIsAUsageError() {
        var result = MainTest.run("demo", "--scale", "huge", dir.resolve("x.db").toString());
        assertEquals(ExitCodes.USAGE, result.code());
        assertTrue(result.err().contains("small, medium or large"), result.err());
    }

    @Test
    void runsSetsTheRunCountOnTheScalesShape() {
        var file = dir.resolve("ten-k.db");
        var result = MainTest.run("demo", "--json", "--scale", "small", "--runs", "7000", file.toString());
        assertEquals(0, result.code(), result.err());
        assertEquals(7000, result.json().get("rowCounts").get("pipeline_runs").asInt());
        assertEquals(DemoScale.SMALL.pipelines() + DemoData.ARCHIVED, result.json().get("rowCounts").get("pipelines").asInt());
        var tooFew = MainTest.run("demo", "--runs", "3", dir.resolve("few.db").toString());
        assertEquals(ExitCodes.USAGE, tooFew.code());
        assertTrue(tooFew.err().contains("3 runs"), tooFew.err());
        assertTrue(java.nio.file.Files.notExists(dir.resolve("few.db")));
    }
}
