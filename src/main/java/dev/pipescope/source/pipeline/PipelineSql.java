package dev.pipescope.source.pipeline;

import dev.pipescope.engine.NamedParameters;

/**
 * Every SQL statement of the pipeline and metrics repositories. Aggregates are read with four
 * queries (pipelines, stages, parameters, configuration) that share one selection of pipelines, so
 * a list of N pipelines costs four queries, not 4N.
 */
final class PipelineSql {
    private PipelineSql() {}

    /** Views over the tool's older column set (see {@link PipelineSource#olderLayout()}), one statement each. */
    static final java.util.List<String> OLDER_LAYOUT_VIEWS = java.util.List.of("""
            CREATE TEMP VIEW pipeline_stages AS SELECT id, pipeline_id, name, stage_type, enabled, stage_order,
                algorithm, parallel_processing, chunk_size, 0 AS archived, created_at, updated_at
            FROM main.pipeline_stages""", """
            CREATE TEMP VIEW stage_parameters AS SELECT stage_id, key, value, 0 AS archived,
                NULL AS created_at, NULL AS updated_at FROM main.stage_parameters""", """
            CREATE TEMP VIEW pipeline_configuration AS SELECT pipeline_id, key, value, 0 AS archived,
                NULL AS created_at, NULL AS updated_at FROM main.pipeline_configuration""");

    static final String INSERT_PIPELINE = """
            INSERT INTO pipelines (id, name, archived, created_at, updated_at)
            VALUES (:id, :name, :archived, :createdAt, :updatedAt)""";

    static final String INSERT_STAGE = """
            INSERT INTO pipeline_stages (id, pipeline_id, name, stage_type, enabled, stage_order, algorithm,
                                         parallel_processing, chunk_size, archived, created_at, updated_at)
            VALUES (:id, :pipelineId, :name, :stageType, :enabled, :stageOrder, :algorithm,
                    :parallelProcessing, :chunkSize, :archived, :createdAt, :updatedAt)""";

    static final String INSERT_PARAMETER = """
            INSERT INTO stage_parameters (stage_id, key, value, archived, created_at, updated_at)
            VALUES (:stageId, :key, :value, :archived, :createdAt, :updatedAt)""";

    static final String INSERT_CONFIGURATION = """
            INSERT INTO pipeline_configuration (pipeline_id, key, value, archived, created_at, updated_at)
            VALUES (:pipelineId, :key, :value, :archived, :createdAt, :updatedAt)""";

    static final String UPDATE_PIPELINE = """
            UPDATE pipelines SET name = :name, archived = :archived, updated_at = :updatedAt WHERE id = :id""";

    static final String DELETE_STAGES_OF = "DELETE FROM pipeline_stages WHERE pipeline_id = :id";

    static final String DELETE_CONFIGURATION_OF = "DELETE FROM pipeline_configuration WHERE pipeline_id = :id";

    static final String DELETE_PIPELINE = "DELETE FROM pipelines WHERE id = :id";

    static final String SET_ARCHIVED_PIPELINE = """
            UPDATE pipelines SET archived = :archived, updated_at = :updatedAt
            WHERE id = :id AND archived <> :archived""";

    static final String SET_ARCHIVED_STAGES = """
            UPDATE pipeline_stages SET archived = :archived, updated_at = :updatedAt WHERE pipeline_id = :id""";

    static final String SET_ARCHIVED_PARAMETERS = """
            UPDATE stage_parameters SET archived = :archived, updated_at = :updatedAt
            WHERE stage_id IN (SELECT id FROM pipeline_stages WHERE pipeline_id = :id)""";

    static final String SET_ARCHIVED_CONFIGURATION = """
            UPDATE pipeline_configuration SET archived = :archived, updated_at = :updatedAt WHERE pipeline_id = :id""";

    static final String EXISTS = "SELECT EXISTS (SELECT 1 FROM pipelines WHERE id = :id)";

    static final String NAME_TAKEN = "SELECT id FROM pipelines WHERE name = :name";

    static final String COUNT_ACTIVE = "SELECT COUNT(*) FROM pipelines WHERE archived = false";

    /**
     * One statement that loads the aggregates of a selection of pipelines: a {@code kind} column says
     * whether a row is a pipeline (0), a stage joined with one of its parameters (1) or a
     * configuration entry (2). One statement reads one consistent snapshot, so no transaction is
     * needed, and a point lookup is a single round trip.
     *
     * <p>Columns: kind, pipeline_id, then for kind 0: name, archived, created_at, updated_at; kind 1:
     * stage id, name, stage_type, enabled, stage_order, algorithm, parallel_processing, chunk_size,
     * archived, created_at, updated_at, parameter key, parameter value; kind 2: key, value.
     */
    record AggregateQuery(String sql, String positionalSql, java.util.List<String> parameters,
                          java.util.Comparator<dev.pipescope.domain.Pipeline> order) {
        /** The query over the pipelines matching {@code condition}, also with its parameters by position. */
        static AggregateQuery where(String condition, java.util.Comparator<dev.pipescope.domain.Pipeline> order) {
            var sql = "SELECT 0, p.id, p.name, p.archived, p.created_at, p.updated_at,"
                    + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
                    + " FROM pipelines p WHERE " + condition
                    + " UNION ALL SELECT 1, s.pipeline_id, s.id, s.name, s.stage_type, s.enabled, s.stage_order,"
                    + " s.algorithm, s.parallel_processing, s.chunk_size, s.archived, s.created_at, s.updated_at,"
                    + " sp.key, sp.value"
                    + " FROM pipeline_stages s JOIN pipelines p ON p.id = s.pipeline_id"
                    + " LEFT JOIN stage_parameters sp ON sp.stage_id = s.id WHERE " + condition
                    + " UNION ALL SELECT 2, c.pipeline_id, c.key, c.value,"
                    + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
                    + " FROM pipeline_configuration c JOIN pipelines p ON p.id = c.pipeline_id WHERE " + condition;
            var parameters = new java.util.ArrayList<String>();
            var named = java.util.regex.Pattern.compile(":([a-zA-Z]\\w*)").matcher(sql);
            while (named.find()) {
                parameters.add(named.group(1));
            }
            return new AggregateQuery(sql, NamedParameters.positional(sql), java.util.List.copyOf(parameters), order);
        }
    }

    private static final java.util.Comparator<dev.pipescope.domain.Pipeline> BY_ID_ORDER =
            java.util.Comparator.comparing(dev.pipescope.domain.Pipeline::id);
    private static final java.util.Comparator<dev.pipescope.domain.Pipeline> BY_NAME_ORDER =
            java.util.Comparator.comparing(dev.pipescope.domain.Pipeline::name);

    static final AggregateQuery BY_ID = AggregateQuery.where("p.id = :id", BY_ID_ORDER);
    static final AggregateQuery BY_NAME = AggregateQuery.where("p.name = :name AND p.archived = false", BY_ID_ORDER);
    static final AggregateQuery ACTIVE_BY_NAME = AggregateQuery.where("p.archived = false", BY_NAME_ORDER);
    static final AggregateQuery ALL_BY_ID = AggregateQuery.where("1 = 1", BY_ID_ORDER);
    static final AggregateQuery ARCHIVED_BY_ID = AggregateQuery.where("p.archived = true", BY_ID_ORDER);
    static final AggregateQuery ACTIVE_PAGE = AggregateQuery.where(
            "p.id IN (SELECT id FROM pipelines WHERE archived = false ORDER BY id LIMIT :limit OFFSET :offset)", BY_ID_ORDER);
    /** Keyset page: the next active pipelines after an id, so rows inserted anywhere never shift a page. */
    static final AggregateQuery ACTIVE_AFTER = AggregateQuery.where(
            "p.id IN (SELECT id FROM pipelines WHERE archived = false AND id > :after ORDER BY id LIMIT :limit)", BY_ID_ORDER);
    static final AggregateQuery BY_CONFIG = AggregateQuery.where("p.archived = false AND EXISTS (SELECT 1 FROM"
            + " pipeline_configuration bc WHERE bc.pipeline_id = p.id AND bc.key = :key AND bc.value = :value)", BY_NAME_ORDER);

    static final String UPSERT_METRICS = """
            INSERT INTO processing_metrics (pipeline_id, bytes_processed, bytes_total, chunks_processed, chunks_total,
                start_time_rfc3339, end_time_rfc3339, processing_duration_ms, throughput_bytes_per_second,
                compression_ratio, error_count, warning_count, input_file_size_bytes, output_file_size_bytes,
                input_file_checksum, output_file_checksum)
            VALUES (:pipelineId, :bytesProcessed, :bytesTotal, :chunksProcessed, :chunksTotal, :startTime, :endTime,
                :durationMs, :throughput, :compressionRatio, :errorCount, :warningCount, :inputSize, :outputSize,
                :inputChecksum, :outputChecksum)
            ON CONFLICT (pipeline_id) DO UPDATE SET
                bytes_processed = excluded.bytes_processed, bytes_total = excluded.bytes_total,
                chunks_processed = excluded.chunks_processed, chunks_total = excluded.chunks_total,
                start_time_rfc3339 = excluded.start_time_rfc3339, end_time_rfc3339 = excluded.end_time_rfc3339,
                processing_duration_ms = excluded.processing_duration_ms,
                throughput_bytes_per_second = excluded.throughput_bytes_per_second,
                compression_ratio = excluded.compression_ratio, error_count = excluded.error_count,
                warning_count = excluded.warning_count, input_file_size_bytes = excluded.input_file_size_bytes,
                output_file_size_bytes = excluded.output_file_size_bytes,
                input_file_checksum = excluded.input_file_checksum, output_file_checksum = excluded.output_file_checksum""";

    static final String METRICS_COLUMNS = """
            pipeline_id, bytes_processed, bytes_total, chunks_processed, chunks_total, start_time_rfc3339,
            end_time_rfc3339, processing_duration_ms, throughput_bytes_per_second, compression_ratio, error_count,
            warning_count, input_file_size_bytes, output_file_size_bytes, input_file_checksum, output_file_checksum""";

    static final String FIND_METRICS = "SELECT " + METRICS_COLUMNS + " FROM processing_metrics WHERE pipeline_id = :id";

    static final String LIST_METRICS = "SELECT " + METRICS_COLUMNS + " FROM processing_metrics ORDER BY pipeline_id";

    static final String DELETE_METRICS = "DELETE FROM processing_metrics WHERE pipeline_id = :id";
}
