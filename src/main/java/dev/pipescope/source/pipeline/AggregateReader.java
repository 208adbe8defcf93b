package dev.pipescope.source.pipeline;

import dev.pipescope.engine.EngineConnections;

import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineStage;
import dev.pipescope.domain.StageType;
import dev.pipescope.domain.Timestamps;
import dev.pipescope.source.pipeline.PipelineSql.AggregateQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Reads pipeline aggregates ({@link AggregateQuery}) into {@link Pipeline}s with plain JDBC on the
 * connection's cached statement: Jdbi's per-call statement set-up cost more than a point lookup's rows.
 * sqlite-jdbc pays a native call per value, so a stage's columns are read at its first row only.
 * (Reading a lookup as one JSON document built by SQLite was tried: the JSON work SQLite did instead
 * cost what the native calls saved.)
 */
final class AggregateReader {
    private final List<PipelineRow> pipelines = new ArrayList<>();
    private final Map<String, StageRow> stages = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> configuration = new HashMap<>();

    /** Every pipeline the query selects. */
    static List<Pipeline> all(EngineConnections db, Handle h, AggregateQuery query, Map<String, Object> arguments) {
        var reader = new AggregateReader();
        try {
            var statement = bound(db, h, query.positionalSql(), query, arguments);
            try (var rs = statement.executeQuery()) {
                while (rs.next()) {
                    reader.add(rs);
                }
            }
        } catch (SQLException e) {
            throw db.translate(e, "read pipelines (" + arguments + ")");
        }
        return reader.pipelines(query);
    }

    private static java.sql.PreparedStatement bound(EngineConnections db, Handle h, String sql, AggregateQuery query,
                                                    Map<String, Object> arguments) throws SQLException {
        var statement = db.prepared(h, sql);
        var names = query.parameters();
        for (int i = 0; i < names.size(); i++) {
            statement.setObject(i + 1, arguments.get(names.get(i)));
        }
        return statement;
    }

    private record PipelineRow(String id, String name, boolean archived, Instant createdAt, Instant updatedAt) {}

    /** A stage as first read, collecting the parameters of the rows that repeat it. */
    private record StageRow(String pipelineId, PipelineStage stage, Map<String, String> parameters) {}

    /** A stage comes once per parameter: its columns are read (and its times parsed) at its first row only. */
    private void add(ResultSet row) throws SQLException {
        switch (row.getInt(1)) {
            case 0 -> pipelines.add(new PipelineRow(text(row, 2), text(row, 4), row.getBoolean(11),
                    time(text(row, 12)), time(text(row, 13))));
            case 1 -> {
                var stageId = text(row, 3);
                var stage = stages.get(stageId);
                if (stage == null) {
                    long chunk = row.getLong(10);
                    Long chunkSize = row.wasNull() ? null : chunk;
                    stage = new StageRow(text(row, 2), new PipelineStage(stageId, text(row, 4),
                            StageType.fromDb(text(row, 5)), row.getBoolean(6), row.getInt(7), text(row, 8),
                            row.getBoolean(9), chunkSize, row.getBoolean(11), time(text(row, 12)),
                            time(text(row, 13)), Map.of()), new HashMap<>());
                    stages.put(stageId, stage);
                }
                var key = text(row, 14);
                if (key != null) {
                    stage.parameters().put(key, text(row, 15));
                }
            }
            default -> configuration.computeIfAbsent(text(row, 2), k -> new HashMap<>())
                    .put(text(row, 3), text(row, 4));
        }
    }

    /** A text column's value: sqlite-jdbc's getBytes is one native copy, getString three (and a buffer object). */
    private static String text(ResultSet row, int column) throws SQLException {
        var bytes = row.getBytes(column);
        return bytes == null ? null : new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Instant time(String text) {
        return Timestamps.parse(text);
    }

    private List<Pipeline> pipelines(AggregateQuery query) {
        var stagesByPipeline = new HashMap<String, List<PipelineStage>>();
        for (var row : stages.values()) {
            var s = row.stage();
            stagesByPipeline.computeIfAbsent(row.pipelineId(), k -> new ArrayList<>()).add(new PipelineStage(s.id(),
                    s.name(), s.stageType(), s.enabled(), s.stageOrder(), s.algorithm(), s.parallelProcessing(),
                    s.chunkSize(), s.archived(), s.createdAt(), s.updatedAt(), row.parameters()));
        }
        var result = new ArrayList<Pipeline>(pipelines.size());
        for (var row : pipelines) {
            result.add(new Pipeline(row.id(), row.name(), row.archived(), row.createdAt(), row.updatedAt(),
                    stagesByPipeline.getOrDefault(row.id(), List.of()), configuration.getOrDefault(row.id(), Map.of())));
        }
        result.sort(query.order());
        return result;
    }
}
