package dev.pipescope.notebook;

import dev.pipescope.domain.RunColumns;
import dev.pipescope.domain.RunSource;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.error.StorageException;
import java.util.ArrayList;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.instant.InstantColumnType;
import tech.tablesaw.columns.instant.PackedInstant;

/**
 * The runs table, built from {@link RunColumns} batches on a second thread while the next ones are read:
 * over a million runs, filling the columns (the unique ids' dictionary above all) costs a third of the
 * reading, and this way it costs almost nothing on top. The absent markers of {@code RunColumns} become
 * tablesaw's missing values.
 */
final class RunColumnsTable {
    /** The source column's words, by ordinal: one string each, not one per run. */
    private static final String[] SOURCE_NAMES = java.util.Arrays.stream(RunSource.values())
            .map(source -> source.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);

    private final StringColumn source = StringColumn.create("source");
    private final StringColumn pipeline = StringColumn.create("pipeline");
    private final StringColumn status = StringColumn.create("status");
    private final InstantColumn startedAt = InstantColumn.create("started_at");
    private final InstantColumn finishedAt = InstantColumn.create("finished_at");
    private final LongColumn durationMs = LongColumn.create("duration_ms");
    private final IntColumn attempts = IntColumn.create("attempts");
    private final DoubleColumn bytesProcessed = DoubleColumn.create("bytes_processed");
    private final DoubleColumn throughput = DoubleColumn.create("throughput_bytes_per_s");
    private final StringColumn error = StringColumn.create("error");
    private final StringColumn id = StringColumn.create("id");

    private RunColumnsTable() {}

    /**
     * The table of the runs {@code reader} hands on, in the order handed on.
     *
     * @param reader reads runs in the calling thread and gives each batch to the consumer it is given
     */
    static Table read(String name, Consumer<Consumer<RunColumns>> reader) {
        var table = new RunColumnsTable();
        var builder = Executors.newSingleThreadExecutor(task -> {
            var thread = new Thread(task, "pipescope-runs-table");
            thread.setDaemon(true);
            return thread;
        });
        var appended = new ArrayList<Future<?>>();
        try {
            reader.accept(batch -> appended.add(builder.submit(() -> table.append(batch))));
            for (var batch : appended) {
                batch.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while building the table '" + name + "'", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PipescopeException p) {
                throw p;
            }
            throw new StorageException("building the table '" + name + "' failed: " + e.getCause(), e.getCause());
        } finally {
            builder.shutdownNow();
        }
        return Table.create(name, table.source, table.pipeline, table.status, table.startedAt, table.finishedAt,
                table.durationMs, table.attempts, table.bytesProcessed, table.throughput, table.error, table.id);
    }

    private void append(RunColumns runs) {
        var starts = runs.startMillis();
        var ends = runs.endMillis();
        var durations = runs.durationsMs();
        var tries = runs.attempts();
        var bytes = runs.bytesProcessed();
        var rates = runs.throughputsBytesPerSecond();
        for (int i = 0; i < runs.size(); i++) {
            source.append(SOURCE_NAMES[runs.source(i).ordinal()]);
            appendString(pipeline, runs.name(i));
            status.append(runs.status(i).dbValue());
            startedAt.appendInternal(packed(starts[i]));
            finishedAt.appendInternal(packed(ends[i]));
            durationMs.append(durations[i]);
            attempts.append(tries[i]);
            bytesProcessed.append(bytes[i]);
            throughput.append(rates[i]);
            appendString(error, runs.error(i).orElse(null));
            id.append(runs.id(i));
        }
    }

    private static void appendString(StringColumn column, String value) {
        if (value == null) {
            column.appendMissing();
        } else {
            column.append(value);
        }
    }

    private static long packed(long epochMillis) {
        return epochMillis == RunColumns.ABSENT ? InstantColumnType.missingValueIndicator()
                : PackedInstant.pack(java.time.Instant.ofEpochMilli(epochMillis));
    }
}
