package dev.pipescope.source.pipeline;

import dev.pipescope.engine.EngineConnections;

import static dev.pipescope.domain.Arguments.required;

import dev.pipescope.domain.ProcessingMetrics;
import dev.pipescope.domain.ProcessingMetricsRepository;
import dev.pipescope.domain.Timestamps;
import dev.pipescope.error.NotFoundException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** {@link ProcessingMetricsRepository} over upstream's {@code processing_metrics}. */
final class SqlProcessingMetricsRepository implements ProcessingMetricsRepository {
    private final EngineConnections db;

    SqlProcessingMetricsRepository(EngineConnections connections) {
        this.db = connections;
    }

    @Override
    public void upsert(ProcessingMetrics metrics) {
        required(metrics, "metrics");
        db.write("save metrics of pipeline " + metrics.pipelineId() + " in processing_metrics", h -> {
            if (!h.createQuery(PipelineSql.EXISTS).bind("id", metrics.pipelineId()).mapTo(Boolean.class).one()) {
                throw new NotFoundException("no pipeline with id " + metrics.pipelineId() + " in pipelines of "
                        + db.location() + "; processing_metrics rows need one");
            }
            upsert(h, metrics);
            return null;
        });
    }

    /** Writes the row inside a transaction the caller holds (run recording joins it). */
    static void upsert(Handle h, ProcessingMetrics m) {
        h.createUpdate(PipelineSql.UPSERT_METRICS)
                .bind("pipelineId", m.pipelineId()).bind("bytesProcessed", m.bytesProcessed())
                .bind("bytesTotal", m.bytesTotal()).bind("chunksProcessed", m.chunksProcessed())
                .bind("chunksTotal", m.chunksTotal())
                .bind("startTime", m.startTime() == null ? null : Timestamps.format(m.startTime()))
                .bind("endTime", m.endTime() == null ? null : Timestamps.format(m.endTime()))
                .bind("durationMs", m.processingDurationMs()).bind("throughput", m.throughputBytesPerSecond())
                .bind("compressionRatio", m.compressionRatio()).bind("errorCount", m.errorCount())
                .bind("warningCount", m.warningCount()).bind("inputSize", m.inputFileSizeBytes())
                .bind("outputSize", m.outputFileSizeBytes()).bind("inputChecksum", m.inputFileChecksum())
                .bind("outputChecksum", m.outputFileChecksum())
                .execute();
    }

    @Override
    public Optional<ProcessingMetrics> find(String pipelineId) {
        required(pipelineId, "pipeline id");
        return db.read("find metrics of pipeline " + pipelineId, h -> h.createQuery(PipelineSql.FIND_METRICS)
                .bind("id", pipelineId).map((rs, ctx) -> map(rs)).findOne());
    }

    /** A full scan: iterated with plain JDBC, where Jdbi's per-row machinery cost a fifth of the time. */
    @Override
    public List<ProcessingMetrics> list() {
        return db.query("list processing_metrics", h -> {
            try {
                var statement = db.prepared(h, PipelineSql.LIST_METRICS);
                var result = new java.util.ArrayList<ProcessingMetrics>();
                try (var rs = statement.executeQuery()) {
                    while (rs.next()) {
                        result.add(map(rs));
                    }
                }
                return result;
            } catch (SQLException e) {
                throw db.translate(e, "list processing_metrics");
            }
        });
    }

    @Override
    public boolean delete(String pipelineId) {
        required(pipelineId, "pipeline id");
        return db.write("delete metrics of pipeline " + pipelineId,
                h -> h.createUpdate(PipelineSql.DELETE_METRICS).bind("id", pipelineId).execute() > 0);
    }

    /** Maps a row selected with {@link PipelineSql#METRICS_COLUMNS}. */
    static ProcessingMetrics map(ResultSet rs) throws SQLException {
        long duration = rs.getLong(8);
        Long durationMs = rs.wasNull() ? null : duration;
        double ratio = rs.getDouble(10);
        Double compressionRatio = rs.wasNull() ? null : ratio;
        return new ProcessingMetrics(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                Timestamps.parseNullable(rs.getString(6)), Timestamps.parseNullable(rs.getString(7)), durationMs,
                rs.getDouble(9), compressionRatio, rs.getLong(11), rs.getLong(12), rs.getLong(13), rs.getLong(14),
                rs.getString(15), rs.getString(16));
    }
}
