package dev.pipescope.source.runs;

import dev.pipescope.domain.PipelineRun;
import dev.pipescope.domain.RunMeasures;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.domain.Timestamps;
import dev.pipescope.error.CorruptDataException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/** How a {@code pipeline_runs} row is written and read: binding, mapping, and the status and list encodings. */
final class RunRows {
    private RunRows() {}

    /** Bound for an absent time limit: sorts before every RFC 3339 text. */
    static final String NO_LOWER_BOUND = "";

    /** Bound for an absent time limit: '~' sorts after every digit, so after every RFC 3339 text. */
    static final String NO_UPPER_BOUND = "~";

    static String jsonArray(List<String> values) {
        var sb = new StringBuilder("[");
        for (var v : values) {
            sb.append(sb.length() > 1 ? "," : "").append('"');
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '"' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c < 0x20) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            sb.append('"');
        }
        return sb.append(']').toString();
    }

    static String statusesJson(Set<RunStatus> statuses) {
        return jsonArray(statuses.stream().map(RunStatus::dbValue).toList());
    }

    /** Through Jdbi so the handle's statement cache serves it; the same positional SQL as bulk loads. */
    static void insert(Handle h, PipelineRun run) {
        var m = run.measures();
        h.createUpdate(RunSql.INSERT_RUN).bind(0, run.id()).bind(1, run.pipelineId()).bind(2, run.status().dbValue())
                .bind(3, run.attempt()).bind(4, Timestamps.format(run.startedAt()))
                .bind(5, run.finishedAt() == null ? null : Timestamps.format(run.finishedAt()))
                .bind(6, Timestamps.format(run.updatedAt())).bind(7, run.durationMs()).bind(8, m.bytesProcessed())
                .bind(9, m.bytesTotal()).bind(10, m.chunksProcessed()).bind(11, m.chunksTotal())
                .bind(12, m.throughputBytesPerSecond()).bind(13, m.compressionRatio()).bind(14, m.errorCount())
                .bind(15, m.warningCount()).bind(16, m.inputFileSizeBytes()).bind(17, m.outputFileSizeBytes())
                .bind(18, m.inputFileChecksum()).bind(19, m.outputFileChecksum()).bind(20, run.errorMessage())
                .execute();
    }

    static void update(Handle h, PipelineRun run) {
        var m = run.measures();
        int changed = h.createUpdate(RunSql.UPDATE_RUN).bind("id", run.id()).bind("status", run.status().dbValue())
                .bind("finishedAt", run.finishedAt() == null ? null : Timestamps.format(run.finishedAt()))
                .bind("updatedAt", Timestamps.format(run.updatedAt())).bind("durationMs", run.durationMs())
                .bind("bytesProcessed", m.bytesProcessed()).bind("bytesTotal", m.bytesTotal())
                .bind("chunksProcessed", m.chunksProcessed()).bind("chunksTotal", m.chunksTotal())
                .bind("throughput", m.throughputBytesPerSecond()).bind("compressionRatio", m.compressionRatio())
                .bind("errorCount", m.errorCount()).bind("warningCount", m.warningCount())
                .bind("inputSize", m.inputFileSizeBytes()).bind("outputSize", m.outputFileSizeBytes())
                .bind("inputChecksum", m.inputFileChecksum()).bind("outputChecksum", m.outputFileChecksum())
                .bind("errorMessage", run.errorMessage())
                .execute();
        if (changed != 1) {
            throw new IllegalStateException("run " + run.id() + " was read as running but not updated");
        }
    }

    /** Binds every column of {@link RunSql#INSERT_RUN}; shared with bulk loaders. */
    static void bindInsert(PreparedStatement ps, PipelineRun run) throws SQLException {
        var m = run.measures();
        ps.setString(1, run.id());
        ps.setString(2, run.pipelineId());
        ps.setString(3, run.status().dbValue());
        ps.setInt(4, run.attempt());
        ps.setString(5, Timestamps.format(run.startedAt()));
        ps.setString(6, run.finishedAt() == null ? null : Timestamps.format(run.finishedAt()));
        ps.setString(7, Timestamps.format(run.updatedAt()));
        if (run.durationMs() == null) {
            ps.setNull(8, Types.INTEGER);
        } else {
            ps.setLong(8, run.durationMs());
        }
        ps.setLong(9, m.bytesProcessed());
        ps.setLong(10, m.bytesTotal());
        ps.setLong(11, m.chunksProcessed());
        ps.setLong(12, m.chunksTotal());
        ps.setDouble(13, m.throughputBytesPerSecond());
        if (m.compressionRatio() == null) {
            ps.setNull(14, Types.REAL);
        } else {
            ps.setDouble(14, m.compressionRatio());
        }
        ps.setLong(15, m.errorCount());
        ps.setLong(16, m.warningCount());
        ps.setLong(17, m.inputFileSizeBytes());
        ps.setLong(18, m.outputFileSizeBytes());
        ps.setString(19, m.inputFileChecksum());
        ps.setString(20, m.outputFileChecksum());
        ps.setString(21, run.errorMessage());
    }

    /** Maps a row selected with {@link RunSql#RUN_COLUMNS}. */
    static PipelineRun map(ResultSet rs) throws SQLException {
        var id = rs.getString(1);
        long duration = rs.getLong(8);
        Long durationMs = rs.wasNull() ? null : duration;
        double ratio = rs.getDouble(14);
        Double compressionRatio = rs.wasNull() ? null : ratio;
        var measures = new RunMeasures(rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getDouble(13),
                compressionRatio, rs.getLong(15), rs.getLong(16), rs.getLong(17), rs.getLong(18), rs.getString(19),
                rs.getString(20));
        try {
            return new PipelineRun(id, rs.getString(2), parseStatus(rs.getString(3), id), rs.getInt(4),
                    Timestamps.parse(rs.getString(5)), Timestamps.parseNullable(rs.getString(6)),
                    Timestamps.parse(rs.getString(7)), durationMs, measures, rs.getString(21));
        } catch (CorruptDataException e) {
            if (e.getMessage().startsWith("pipeline_runs row")) {
                throw e;
            }
            throw new CorruptDataException("pipeline_runs row " + id + ": " + e.getMessage(), e);
        }
    }

    static RunStatus parseStatus(String text, String where) {
        try {
            var status = RunStatus.valueOf(text.toUpperCase(Locale.ROOT));
            if (status == RunStatus.PENDING) {
                throw new IllegalArgumentException(text);
            }
            return status;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new CorruptDataException("pipeline_runs row " + where + " has status '" + text
                    + "'; expected running, succeeded, failed or cancelled", e);
        }
    }
}
