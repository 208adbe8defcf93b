package dev.pipescope.notebook;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableRendererTest {

    static Table numbered(int rows) {
        long[] ids = new long[rows];
        double[] bytes = new double[rows];
        for (int i = 0; i < rows; i++) {
            ids[i] = i;
            bytes[i] = i * 1024.0;
        }
        return Table.create("numbers", LongColumn.create("id", ids), DoubleColumn.create("bytes_processed", bytes));
    }

    static int bodyRows(String html) {
        Matcher body = Pattern.compile("<tbody>(.*?)</tbody>", Pattern.DOTALL).matcher(html);
        assertTrue(body.find(), html);
        return (int) Pattern.compile("<tr>").matcher(body.group(1)).results().count();
    }

    @Test
    void aNameWithMarkupRendersAsText() {
        Table table = Table.create("<b>t</b>", StringColumn.create("name", "<script>alert(1)</script>", "a&b \"q\""));
        String html = TableRenderer.html(table);
        assertFalse(html.contains("<script>"), html);
        assertFalse(html.contains("<b>t</b>"), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
        assertTrue(html.contains("a&amp;b &quot;q&quot;"), html);
        assertTrue(TableRenderer.text(table).contains("<script>alert(1)</script>"), "text/plain shows the text as it is");
    }

    @Test
    void longTablesShowTheFirstAndLastRowsAndHowManyAreLeftOut() {
        Table table = numbered(100);
        String html = TableRenderer.html(table, 10);
        assertEquals(10, bodyRows(html));
        assertTrue(html.contains("… 90 more rows …"), html);
        assertTrue(html.contains("<td class=\"num\">0</td>") && html.contains("<td class=\"num\">99</td>"), html);
        assertFalse(html.contains("<td class=\"num\">50</td>"), html);
        String text = TableRenderer.text(table, 4);
        assertTrue(text.contains("… 96 more rows …"), text);
        assertEquals(2 + 1 + 4 + 1, text.lines().count(), text);
        assertEquals(100, bodyRows(TableRenderer.html(table, 100)));
    }

    @Test
    void aMillionRowTableSendsUnderOneHundredKilobytes() {
        Table table = numbered(1_000_000);
        String html = TableRenderer.html(table);
        String text = TableRenderer.text(table);
        assertTrue(html.getBytes(StandardCharsets.UTF_8).length < 100 * 1024, html.length() + " bytes");
        assertTrue(text.getBytes(StandardCharsets.UTF_8).length < 100 * 1024);
        assertTrue(html.contains("999980 more rows"), html);
        assertEquals(1_000_000, table.rowCount(), "rendering leaves the table whole");
    }

    @Test
    void numbersAreFormattedForPeopleAndTimesInUtc() {
        Table table = Table.create("runs",
                LongColumn.create("bytes_processed", 3L * 1024 * 1024 * 1024),
                LongColumn.create("duration_ms", 90_000L),
                DoubleColumn.create("throughput_bytes_per_s", 5.5 * 1024 * 1024),
                DoubleColumn.create("compression_ratio", 2.3456),
                InstantColumn.create("started_at", new Instant[] {Instant.parse("2025-03-01T10:15:30.5Z")}));
        String text = TableRenderer.text(table);
        assertTrue(text.contains("3.0 GiB"), text);
        assertTrue(text.contains("1.5 min"), text);
        assertTrue(text.contains("5.50 MiB/s"), text);
        assertTrue(text.contains("2.35"), text);
        assertTrue(text.contains("2025-03-01 10:15:30.500Z"), text);
        assertEquals(3L * 1024 * 1024 * 1024, table.longColumn("bytes_processed").get(0), "raw values stay");
    }

    @Test
    void unitsStepUpAtTheirBoundaries() {
        assertEquals("1023 B", Formats.bytes(1023));
        assertEquals("1.0 KiB", Formats.bytes(1024));
        assertEquals("1.0 MiB", Formats.bytes(1024 * 1024));
        assertEquals("999 ms", Formats.durationMs(999));
        assertEquals("1.00 s", Formats.durationMs(1000));
        assertEquals("2.0 h", Formats.durationMs(7_200_000));
        assertEquals(Formats.Kind.BYTES, Formats.kindOf("chunk_size_bytes"));
        assertEquals(Formats.Kind.DURATION_MS, Formats.kindOf("p95_duration_ms"));
        assertEquals(Formats.Kind.RATIO, Formats.kindOf("success_rate"));
        assertEquals(Formats.Kind.PLAIN, Formats.kindOf("runs"));
    }

    @Test
    void missingValuesRenderEmpty() {
        LongColumn sizes = LongColumn.create("size");
        sizes.append(1);
        sizes.appendMissing();
        String text = TableRenderer.text(Table.create("t", sizes));
        assertFalse(text.contains(String.valueOf(Long.MIN_VALUE)), text);
    }

    @Test
    void numericHeadersAlignRightLikeTheirValues() {
        Table table = Table.create("mixed", StringColumn.create("name", "a"), LongColumn.create("runs", 3L),
                DoubleColumn.create("bytes_processed", 1024.0));
        String html = TableRenderer.html(table);
        assertTrue(html.contains("<th>name</th>"), html);
        assertTrue(html.contains("<th class=\"num\">runs</th>"), html);
        assertTrue(html.contains("<th class=\"num\">bytes_processed</th>"), html);
        assertTrue(html.contains(".pipescope-table th.num{text-align:right !important}"), html);
        // the text table pads numeric headers on the left too
        String[] lines = TableRenderer.text(Table.create("t", StringColumn.create("name", "a"),
                LongColumn.create("n", 12345L))).split("\n");
        assertEquals("name      n", lines[1]);
        assertEquals("a     12345", lines[3]);
    }
}
