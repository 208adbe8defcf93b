package dev.pipescope.source.pipeline;

import dev.pipescope.domain.Layout;
import dev.pipescope.domain.ProcessingMetrics;
import dev.pipescope.source.RunReader;
import dev.pipescope.source.Source;
import dev.pipescope.engine.EngineConnections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The Rust adaptive pipeline tool: pipelines, stages, parameters, configuration and the latest run's
 * processing metrics, in the tables its own migrations create (Pipescope's V1 migration is the same schema).
 */
public final class PipelineSource implements Source {

    @Override
    public Layout layout() {
        return Layout.ADAPTIVE_PIPELINE;
    }

    @Override
    public Map<String, Set<String>> tables() {
        return Map.of(
                "pipelines", Set.of("id", "name", "archived", "created_at", "updated_at"),
                "pipeline_stages", Set.of("id", "pipeline_id", "name", "stage_type", "enabled", "stage_order",
                        "algorithm", "parallel_processing", "chunk_size", "archived", "created_at", "updated_at"),
                "stage_parameters", Set.of("stage_id", "key", "value", "archived", "created_at", "updated_at"),
                "pipeline_configuration", Set.of("pipeline_id", "key", "value", "archived", "created_at",
                        "updated_at"),
                "processing_metrics", Set.of("pipeline_id", "bytes_processed", "bytes_total", "chunks_processed",
                        "chunks_total", "start_time_rfc3339", "end_time_rfc3339", "processing_duration_ms",
                        "throughput_bytes_per_second", "compression_ratio", "error_count", "warning_count",
                        "input_file_size_bytes", "output_file_size_bytes", "input_file_checksum",
                        "output_file_checksum"));
    }

    @Override
    public boolean createdByMigrations() {
        return true;
    }

    @Override
    public List<Class<?>> sqlClasses() {
        return List.of(PipelineSql.class);
    }

    /**
     * The column set of the tool's own test-data script ({@code generated_database.sql}): stages without
     * {@code archived}, parameters and configuration without {@code archived} and timestamps. Nothing in it
     * is archived, so {@code archived} reads 0; the timestamps nothing reads stay NULL.
     */
    @Override
    public Optional<OlderLayout> olderLayout() {
        return Optional.of(new OlderLayout(Map.of(
                "pipelines", Set.of("id", "name", "archived", "created_at", "updated_at"),
                "pipeline_stages", Set.of("id", "pipeline_id", "name", "stage_type", "enabled", "stage_order",
                        "algorithm", "parallel_processing", "chunk_size", "created_at", "updated_at"),
                "stage_parameters", Set.of("stage_id", "key", "value"),
                "pipeline_configuration", Set.of("pipeline_id", "key", "value")),
                PipelineSql.OLDER_LAYOUT_VIEWS));
    }

    /** The tool keeps only the latest run per pipeline: its runs are Pipescope's run history's. */
    @Override
    public Optional<RunReader> runs(EngineConnections connections) {
        return Optional.empty();
    }

    /**
     * Writes a pipeline's latest-run metrics inside the caller's write transaction: the run history
     * keeps {@code processing_metrics} as upstream does, in the same transaction as the run.
     */
    public static void upsertMetrics(Handle handle, ProcessingMetrics metrics) {
        SqlProcessingMetricsRepository.upsert(handle, metrics);
    }

    /** True when a pipeline with this id exists (archived or not), read in the caller's transaction. */
    public static boolean pipelineExists(Handle handle, String pipelineId) {
        return handle.createQuery(PipelineSql.EXISTS).bind("id", pipelineId).mapTo(Boolean.class).one();
    }

    /** The pipeline repository over this layout's tables. */
    public static SqlPipelineRepository pipelines(EngineConnections connections) {
        return new SqlPipelineRepository(connections);
    }

    /** The processing-metrics repository over {@code processing_metrics}. */
    public static SqlProcessingMetricsRepository metrics(EngineConnections connections) {
        return new SqlProcessingMetricsRepository(connections);
    }
}
