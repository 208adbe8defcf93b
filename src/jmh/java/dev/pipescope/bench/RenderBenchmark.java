package dev.pipescope.bench;

import dev.pipescope.notebook.TableRenderer;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Rendering a 1,000,000-row runs-like table for a notebook (HTML and text/plain) against two baselines
 * in the same run: the same renderer on a 20-row table (what is shown either way) and tablesaw's own
 * {@code print(20)}. The target is under 200 ms per render at a million rows.
 *
 * <pre>
 * mvn -Pbench -DskipTests package
 * java -jar target/benchmarks.jar RenderBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RenderBenchmark {

    Table million;
    Table twenty;

    @Setup
    public void makeTables() {
        million = runs(1_000_000);
        twenty = runs(20);
    }

    static Table runs(int rows) {
        String[] pipelines = new String[rows];
        String[] statuses = new String[rows];
        Instant[] started = new Instant[rows];
        long[] durations = new long[rows];
        double[] bytes = new double[rows];
        double[] throughput = new double[rows];
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < rows; i++) {
            pipelines[i] = "pipeline-" + (i % 100);
            statuses[i] = i % 17 == 0 ? "failed" : "succeeded";
            started[i] = start.plusSeconds(i * 37L);
            durations[i] = 200 + (i * 7919L) % 60_000;
            bytes[i] = (i * 104729L) % 5_000_000_000L;
            throughput[i] = bytes[i] / (durations[i] / 1000.0);
        }
        return Table.create("runs", StringColumn.create("pipeline", pipelines), StringColumn.create("status", statuses),
                InstantColumn.create("started_at", started), LongColumn.create("duration_ms", durations),
                DoubleColumn.create("bytes_processed", bytes), DoubleColumn.create("throughput_bytes_per_s", throughput));
    }

    @Benchmark
    public String htmlMillionRows() {
        return TableRenderer.html(million);
    }

    @Benchmark
    public String textMillionRows() {
        return TableRenderer.text(million);
    }

    @Benchmark
    public String baselineHtmlTwentyRows() {
        return TableRenderer.html(twenty);
    }

    @Benchmark
    public String baselineTablesawPrintMillionRows() {
        return million.print(20);
    }
}
