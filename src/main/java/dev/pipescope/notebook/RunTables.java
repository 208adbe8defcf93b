package dev.pipescope.notebook;

import dev.pipescope.domain.Layout;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineRun;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunQuery;
import dev.pipescope.domain.RunStats;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Tables of runs: the unified runs of every tool in the file, and the adaptive pipeline's run history. */
final class RunTables {

    private final CurrentDatabase current;
    private final PipelineTables pipelines;

    RunTables(CurrentDatabase current, PipelineTables pipelines) {
        this.current = current;
        this.pipelines = pipelines;
    }

    /**
     * The runs {@code filter} picks. When its limit cuts the result short the title says so where the
     * user looks: "runs: first 1,000 of 4,999 (allRuns() or runs(filter.limit(4999)) for all)".
     */
    Table runs(RunFilter filter) {
        var repository = current.db().runs();
        if (filter.limit() == Integer.MAX_VALUE) {
            return RunColumnsTable.read("runs", batches -> repository.unifiedColumns(filter, batches));
        }
        // one run more than asked for tells whether the limit cut anything
        Table read = RunColumnsTable.read("runs", batches -> repository.unifiedColumns(filter.limit(filter.limit() + 1), batches));
        if (read.rowCount() <= filter.limit()) {
            return read;
        }
        long[] total = {0};
        repository.unifiedColumns(filter.limit(Integer.MAX_VALUE), batch -> total[0] += batch.size());
        return read.first(filter.limit()).setName(Captions.firstOf("runs", filter.limit(), total[0],
                "allRuns() or runs(filter.limit(" + total[0] + ")) for all"));
    }

    Table runs(String pipeline, RunQuery query) {
        current.require(Layout.RUN_HISTORY, "runs(pipeline)");
        Pipeline p = pipelines.pipeline(pipeline);
        List<PipelineRun> runs = current.db().runs().list(query.pipeline(p.id()));
        return new TableBuilder<PipelineRun>("runs of " + p.name())
                .string("pipeline", r -> p.name())
                .string("status", r -> r.status().dbValue())
                .ints("attempt", PipelineRun::attempt)
                .instant("started_at", PipelineRun::startedAt)
                .instant("finished_at", PipelineRun::finishedAt)
                .longs("duration_ms", PipelineRun::durationMs)
                .longs("bytes_processed", r -> r.measures().bytesProcessed())
                .longs("bytes_total", r -> r.measures().bytesTotal())
                .doubles("throughput_bytes_per_s", r -> r.measures().throughputBytesPerSecond())
                .doubles("compression_ratio", r -> r.measures().compressionRatio())
                .string("error", PipelineRun::errorMessage)
                .string("id", PipelineRun::id)
                .build(runs);
    }

    Table stats() {
        current.require(Layout.RUN_HISTORY, "stats()");
        current.require(Layout.ADAPTIVE_PIPELINE, "stats()");
        List<Map.Entry<String, RunStats>> rows = new ArrayList<>();
        for (Pipeline p : pipelines.byName()) {
            rows.add(Map.entry(p.name(), current.db().runs().stats(p.id())));
        }
        return new TableBuilder<Map.Entry<String, RunStats>>("stats")
                .string("pipeline", Map.Entry::getKey)
                .longs("runs", e -> e.getValue().count())
                .longs("running", e -> e.getValue().running())
                .longs("succeeded", e -> e.getValue().succeeded())
                .longs("failed", e -> e.getValue().failed())
                .longs("cancelled", e -> e.getValue().cancelled())
                .doubles("success_rate", e -> e.getValue().successRate())
                .longs(Comparisons.P50, e -> e.getValue().p50DurationMs())
                .longs(Comparisons.P95, e -> e.getValue().p95DurationMs())
                .doubles("throughput_mean", e -> e.getValue().meanThroughput())
                .doubles("throughput_best", e -> e.getValue().bestThroughput())
                .build(rows);
    }
}
