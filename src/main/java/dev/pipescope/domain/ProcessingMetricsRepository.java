package dev.pipescope.domain;

import java.util.List;
import java.util.Optional;

/**
 * The latest run's metrics per pipeline ({@code processing_metrics}: one row per pipeline, as upstream).
 *
 * <pre>{@code
 * db.metrics().upsert(ProcessingMetrics.started(pipeline.id(), Instant.now(), 1_000_000));
 * db.metrics().find(pipeline.id()).flatMap(ProcessingMetrics::progress);
 * }</pre>
 */
public interface ProcessingMetricsRepository {

    /**
     * Inserts or replaces the metrics row of {@code metrics.pipelineId()}.
     *
     * @throws dev.pipescope.error.NotFoundException when no pipeline has that id
     */
    void upsert(ProcessingMetrics metrics);

    /** The metrics of one pipeline. */
    Optional<ProcessingMetrics> find(String pipelineId);

    /** Every metrics row, ordered by pipeline id. */
    List<ProcessingMetrics> list();

    /** Removes a pipeline's metrics. @return false when there were none */
    boolean delete(String pipelineId);
}
