package dev.pipescope.notebook;

import dev.pipescope.domain.Layout;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineRun;
import dev.pipescope.domain.PipelineStage;
import dev.pipescope.domain.ProcessingMetrics;
import dev.pipescope.domain.RunQuery;
import dev.pipescope.domain.RunStats;
import dev.pipescope.error.NotFoundException;
import tech.tablesaw.api.Table;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Tables of the adaptive pipeline's state: pipelines, their stages and configuration, processing metrics. */
final class PipelineTables {

    private final CurrentDatabase current;

    PipelineTables(CurrentDatabase current) {
        this.current = current;
    }

    /**
     * The active pipeline with this name, else the pipeline with this id, else the archived pipeline with
     * this name: pipelines() lists archived ones, so they open by name too.
     *
     * @throws NotFoundException when no pipeline has that name or id, or several archived ones share the name
     */
    Pipeline pipeline(String nameOrId) {
        var repository = current.db().pipelines();
        var found = repository.findByName(nameOrId).or(() -> repository.findById(nameOrId));
        if (found.isPresent()) {
            return found.get();
        }
        var archived = repository.listArchived().stream().filter(p -> p.name().equals(nameOrId)).toList();
        if (archived.size() > 1) {
            throw new NotFoundException(archived.size() + " archived pipelines are named '" + nameOrId + "' in "
                    + current.where() + " (ids " + archived.stream().map(Pipeline::id).toList() + "): give an id");
        }
        return archived.stream().findFirst().orElseThrow(() -> new NotFoundException("no pipeline named or with id '"
                + nameOrId + "' in " + current.where()));
    }

    /** Every pipeline (archived ones too), by name. */
    List<Pipeline> byName() {
        List<Pipeline> all = new ArrayList<>(current.db().pipelines().listIncludingArchived());
        all.sort(Comparator.comparing(Pipeline::name));
        return all;
    }

    Table pipelines() {
        current.require(Layout.ADAPTIVE_PIPELINE, "pipelines()");
        List<Pipeline> all = byName();
        var db = current.db();
        boolean runs = current.has(Layout.RUN_HISTORY);
        Map<String, RunStats> stats = new HashMap<>();
        Map<String, PipelineRun> latest = new HashMap<>();
        Map<String, ProcessingMetrics> metrics = new HashMap<>();
        db.metrics().list().forEach(m -> metrics.put(m.pipelineId(), m));
        for (Pipeline p : all) {
            if (runs) {
                stats.put(p.id(), db.runs().stats(p.id()));
                db.runs().list(RunQuery.all().pipeline(p.id()).page(0, 1)).stream().findFirst()
                        .ifPresent(r -> latest.put(p.id(), r));
            }
        }
        return new TableBuilder<Pipeline>("pipelines")
                .string("name", Pipeline::name)
                .string("stages", Pipeline::stageChain)
                .bool("archived", Pipeline::archived)
                .string("latest_status", p -> latest.containsKey(p.id()) ? latest.get(p.id()).status().dbValue() : null)
                .instant("latest_run_at", p -> latest.containsKey(p.id()) ? latest.get(p.id()).startedAt() : null)
                .longs("runs", p -> stats.containsKey(p.id()) ? stats.get(p.id()).count() : null)
                .doubles("success_rate", p -> stats.containsKey(p.id()) ? stats.get(p.id()).successRate() : null)
                .doubles("throughput_bytes_per_s", p -> stats.containsKey(p.id()) && stats.get(p.id()).meanThroughput() != null
                        ? stats.get(p.id()).meanThroughput()
                        : metrics.containsKey(p.id()) ? metrics.get(p.id()).throughputBytesPerSecond() : null)
                .instant("created_at", Pipeline::createdAt)
                .string("id", Pipeline::id)
                .build(all);
    }

    Table stages(String pipeline) {
        Pipeline p = pipeline(pipeline);
        // upstream's restore un-archives only the pipeline row: its stages may stay archived, so say which are
        return new TableBuilder<PipelineStage>("stages of " + p.name() + (p.archived() ? " (archived)" : ""))
                .ints("order", PipelineStage::stageOrder)
                .string("name", PipelineStage::name)
                .string("type", s -> s.stageType().dbValue())
                .string("algorithm", PipelineStage::algorithm)
                .bool("enabled", PipelineStage::enabled)
                .bool("parallel", PipelineStage::parallelProcessing)
                .longs("chunk_size_bytes", PipelineStage::chunkSize)
                .string("parameters", s -> s.sortedParameters().isEmpty() ? "" : s.sortedParameters().toString())
                .bool("archived", PipelineStage::archived)
                .build(p.stages());
    }

    Table config(String pipeline) {
        Pipeline p = pipeline(pipeline);
        return new TableBuilder<Map.Entry<String, String>>("configuration of " + p.name() + (p.archived() ? " (archived)" : ""))
                .string("key", Map.Entry::getKey)
                .string("value", Map.Entry::getValue)
                .build(new TreeMap<>(p.configuration()).entrySet());
    }

    Table metrics() {
        current.require(Layout.ADAPTIVE_PIPELINE, "metrics()");
        Map<String, String> names = names();
        List<ProcessingMetrics> rows = new ArrayList<>(current.db().metrics().list());
        rows.sort(Comparator.comparing(m -> names.getOrDefault(m.pipelineId(), m.pipelineId())));
        return new TableBuilder<ProcessingMetrics>("metrics")
                .string("pipeline", m -> names.getOrDefault(m.pipelineId(), m.pipelineId()))
                .longs("bytes_processed", ProcessingMetrics::bytesProcessed)
                .longs("bytes_total", ProcessingMetrics::bytesTotal)
                .doubles("progress", m -> m.progress().orElse(null))
                .longs("chunks_processed", ProcessingMetrics::chunksProcessed)
                .instant("start", ProcessingMetrics::startTime)
                .instant("end", ProcessingMetrics::endTime)
                .longs("duration_ms", m -> m.duration().map(Duration::toMillis).orElse(null))
                .doubles("throughput_bytes_per_s", ProcessingMetrics::throughputBytesPerSecond)
                .doubles("compression_ratio", ProcessingMetrics::compressionRatio)
                .longs("errors", ProcessingMetrics::errorCount)
                .longs("warnings", ProcessingMetrics::warningCount)
                .build(rows);
    }

    /** Pipeline names by id (empty when the file holds no pipelines). */
    private Map<String, String> names() {
        Map<String, String> names = new HashMap<>();
        current.db().pipelines().listIncludingArchived().forEach(p -> names.put(p.id(), p.name()));
        return names;
    }
}
