package dev.pipescope.notebook;

import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineRun;
import dev.pipescope.domain.RunMeasures;
import dev.pipescope.domain.RunStatus;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordTablesTest {

    static Pipeline pipeline(String name) {
        return Pipeline.builder(name).config("max_workers", "4")
                .stage(dev.pipescope.domain.PipelineStage.builder("compress", dev.pipescope.domain.StageType.COMPRESSION,
                        "zstd").parameter("compression_level", "3"))
                .build();
    }

    @Test
    void nestedCollectionsShowCompactlyNeverAsJavaToString() {
        List<Pipeline> pipelines = List.of(pipeline("ship-logs"), pipeline("archive-audit-trail"));
        Table table = RecordTables.of(pipelines);
        assertEquals(pipelines.get(0).stageChain(), table.stringColumn("stages").get(0));
        assertEquals("sha256 → zstd → sha256", table.stringColumn("stages").get(0));
        assertEquals("max_workers=4", table.stringColumn("configuration").get(0));
        String html = TableRenderer.html(table);
        String text = TableRenderer.text(table);
        for (String shown : List.of(html, text)) {
            assertFalse(shown.contains("PipelineStage["), shown);
            assertFalse(shown.contains("PipelineStage{"), shown);
        }
        // one line of the text table is as wide as the widest row: id, name, times, chain, configuration
        int widest = text.lines().mapToInt(String::length).max().orElseThrow();
        assertTrue(widest < 200, widest + " characters wide:\n" + text);
    }

    @Test
    void aNestedRecordSpreadsIntoColumnsFormattedByName() {
        RunMeasures measures = new RunMeasures(2048, 4096, 1, 2, 3.0 * 1048576, 2.5, 0, 1, 4096, 1024, "abc", null);
        PipelineRun run = new PipelineRun("01K0000000000000000000000A", "01K0000000000000000000000B", RunStatus.RUNNING, 1,
                Instant.parse("2025-10-01T10:00:00Z"), null, Instant.parse("2025-10-01T10:00:01Z"), null, measures, null);
        Table table = RecordTables.of(run);
        assertTrue(table.columnNames().containsAll(List.of("bytes_processed", "throughput_bytes_per_second",
                "compression_ratio", "input_file_checksum")), table.columnNames().toString());
        assertFalse(table.columnNames().contains("measures"), table.columnNames().toString());
        String text = TableRenderer.text(table);
        assertTrue(text.contains("3.00 MiB/s"), text);
        assertTrue(text.contains("2.0 KiB"), text);
        assertFalse(text.contains("RunMeasures["), text);
    }
}
