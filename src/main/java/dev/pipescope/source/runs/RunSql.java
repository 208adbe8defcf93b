package dev.pipescope.source.runs;

import dev.pipescope.engine.Dialect;

/**
 * Every SQL statement of the run history ({@code pipeline_runs}). Time bounds are RFC 3339 text with
 * a {@code +00:00} offset, whose text order is time order; an absent bound is bound as {@link RunRows#NO_LOWER_BOUND}
 * or {@link RunRows#NO_UPPER_BOUND}, which sort before and after every timestamp, so one statement serves
 * every combination of filters and still walks an index.
 *
 * <p>The statements that differ between engines are the components of {@link EngineSql}, one instance per
 * dialect: SQLite reads a JSON array of statuses with {@code json_each} and breaks ties of start time by
 * {@code rowid}; PostgreSQL with {@code json_array_elements_text} and {@code recorded_order}. Both bind the
 * same values, so the repository binds once for either.
 */
final class RunSql {
    private RunSql() {}

    static final String RUN_COLUMNS = """
            id, pipeline_id, status, attempt, started_at, finished_at, updated_at, duration_ms, bytes_processed,
            bytes_total, chunks_processed, chunks_total, throughput_bytes_per_second, compression_ratio, error_count,
            warning_count, input_file_size_bytes, output_file_size_bytes, input_file_checksum, output_file_checksum,
            error_message""";

    /** Positional, so the same text serves a Jdbi insert and a raw JDBC batch of a million rows. */
    static final String INSERT_RUN = "INSERT INTO pipeline_runs (" + RUN_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    static final String UPDATE_RUN = """
            UPDATE pipeline_runs SET status = :status, finished_at = :finishedAt, updated_at = :updatedAt,
                duration_ms = :durationMs, bytes_processed = :bytesProcessed, bytes_total = :bytesTotal,
                chunks_processed = :chunksProcessed, chunks_total = :chunksTotal, throughput_bytes_per_second = :throughput,
                compression_ratio = :compressionRatio, error_count = :errorCount, warning_count = :warningCount,
                input_file_size_bytes = :inputSize, output_file_size_bytes = :outputSize,
                input_file_checksum = :inputChecksum, output_file_checksum = :outputChecksum,
                error_message = :errorMessage
            WHERE id = :id AND status = 'running'""";

    static final String FIND = "SELECT " + RUN_COLUMNS + " FROM pipeline_runs WHERE id = :id";

    /** Per status: runs, runs with a duration, mean and best throughput; read from idx_pipeline_runs_stats alone. */
    static final String STATS_BY_STATUS = """
            SELECT status, COUNT(*), COUNT(duration_ms), AVG(throughput_bytes_per_second),
                   MAX(throughput_bytes_per_second)
            FROM pipeline_runs WHERE pipeline_id = :pipelineId GROUP BY status""";

    /** The succeeded run's duration at a 0-based rank, walking the stats index up from the shortest. */
    static final String SUCCEEDED_DURATION_AT = """
            SELECT duration_ms FROM pipeline_runs
            WHERE pipeline_id = :pipelineId AND status = 'succeeded' AND duration_ms IS NOT NULL
            ORDER BY duration_ms LIMIT 1 OFFSET :rank""";

    /** The same, counting down from the longest: a high percentile is a short walk from that end. */
    static final String SUCCEEDED_DURATION_FROM_TOP = """
            SELECT duration_ms FROM pipeline_runs
            WHERE pipeline_id = :pipelineId AND status = 'succeeded' AND duration_ms IS NOT NULL
            ORDER BY duration_ms DESC LIMIT 1 OFFSET :rank""";

    static final String STARTED_LATER_EXISTS = """
            SELECT EXISTS (SELECT 1 FROM pipeline_runs WHERE pipeline_id = :pipelineId AND started_at > :startedAt)""";

    /**
     * The statements whose text differs by engine.
     *
     * @param firstTakenId       the first of a JSON array of ids that is already stored (to name it after a
     *                           refused batch); binds {@code ids}
     * @param listOfPipeline     a page of one pipeline's runs, newest first (ties: latest recorded first)
     * @param listAll            a page of every run, newest first
     * @param countOfPipeline    how many runs of a pipeline match
     * @param countAll           how many runs match
     * @param latestOfPipeline   a pipeline's latest run
     * @param stale              running runs not heard of since {@code before}, oldest heartbeat first
     * @param unified            Pipescope runs with their pipeline's name, for the unified view
     * @param unifiedColumns     the unified read column by column ({@code RunRepository.unifiedColumns}): values
     *                           travel packed, {@code started_at|finished_at|id} as one text (timestamps hold no
     *                           '|'; the id goes last, whatever it holds), and the pipeline's number (below)
     *                           times 8 plus a status code (1 running, 2 succeeded, 3 failed, 4 cancelled, 0
     *                           anything else, then read as text from column 3) as one integer. An absent
     *                           duration comes back as the bound {@code absent} value. Positional, for a prepared
     *                           statement. Binds: absent, from, to, any status (0/1), statuses (JSON array), limit.
     *                           On SQLite the packing is what makes it fast: sqlite-jdbc makes one synchronized
     *                           native call per value read, which cost more than SQLite's own work over a million
     *                           rows. PostgreSQL runs the same shape so one reader maps both.
     * @param pipelineNumbers    each pipeline's number in {@code unifiedColumns} with its name, by number, read
     *                           once per {@code unifiedColumns} in the same transaction
     */
    record EngineSql(String firstTakenId, String listOfPipeline, String listAll, String countOfPipeline,
                     String countAll, String latestOfPipeline, String stale, String unified, String unifiedColumns,
                     String pipelineNumbers) {

        /** The statements for {@code dialect}. */
        static EngineSql of(Dialect dialect) {
            return dialect == Dialect.POSTGRESQL ? POSTGRESQL : SQLITE;
        }

        private static EngineSql build(String statusesOf, String firstTakenId, String tieBreak, String unifiedColumns,
                                       String pipelineNumbers) {
            var filters = " started_at >= :from AND started_at < :to"
                    + " AND (:anyStatus OR status IN (SELECT value FROM " + statusesOf.replace("?", ":statuses") + "))";
            return new EngineSql(firstTakenId,
                    "SELECT " + RUN_COLUMNS + " FROM pipeline_runs WHERE pipeline_id = :pipelineId AND" + filters
                            + " ORDER BY started_at DESC, " + tieBreak + " DESC LIMIT :limit OFFSET :offset",
                    "SELECT " + RUN_COLUMNS + " FROM pipeline_runs WHERE" + filters
                            + " ORDER BY started_at DESC, " + tieBreak + " DESC LIMIT :limit OFFSET :offset",
                    "SELECT COUNT(*) FROM pipeline_runs WHERE pipeline_id = :pipelineId AND" + filters,
                    "SELECT COUNT(*) FROM pipeline_runs WHERE" + filters,
                    "SELECT " + RUN_COLUMNS + " FROM pipeline_runs"
                            + " WHERE pipeline_id = :pipelineId ORDER BY started_at DESC, " + tieBreak + " DESC LIMIT 1",
                    "SELECT " + RUN_COLUMNS + " FROM pipeline_runs"
                            + " WHERE status = 'running' AND updated_at < :before ORDER BY updated_at, " + tieBreak,
                    "SELECT r.id, r.pipeline_id, r.status, r.attempt, r.started_at, r.finished_at,"
                            + " r.updated_at, r.duration_ms, r.bytes_processed, r.bytes_total, r.chunks_processed,"
                            + " r.chunks_total, r.throughput_bytes_per_second, r.compression_ratio, r.error_count,"
                            + " r.warning_count, r.input_file_size_bytes, r.output_file_size_bytes,"
                            + " r.input_file_checksum, r.output_file_checksum, r.error_message, p.name"
                            + " FROM pipeline_runs r JOIN pipelines p ON p.id = r.pipeline_id"
                            + " WHERE r.started_at >= :from AND r.started_at < :to"
                            + " AND (:anyStatus OR r.status IN (SELECT value FROM "
                            + statusesOf.replace("?", ":statuses") + "))"
                            + " ORDER BY r.started_at DESC, r." + tieBreak + " DESC LIMIT :limit",
                    unifiedColumns, pipelineNumbers);
        }
    }

    /**
     * The status code of {@code unifiedColumns}' second column, after the pipeline's number times 8 (a method,
     * so the catalog does not take the fragment for a statement).
     */
    private static String statusCode() {
        return "CASE r.status WHEN 'running' THEN 1 WHEN 'succeeded' THEN 2 WHEN 'failed' THEN 3"
                + " WHEN 'cancelled' THEN 4 ELSE 0 END";
    }

    /** SQLite: a pipeline's number is its rowid. */
    static final EngineSql SQLITE = EngineSql.build("json_each(?)", """
                    SELECT j.value FROM json_each(:ids) j WHERE EXISTS (SELECT 1 FROM pipeline_runs r WHERE r.id = j.value)
                    ORDER BY j.key LIMIT 1""", "rowid",
            "SELECT r.started_at || '|' || ifnull(r.finished_at, '') || '|' || r.id,"
                    + " p.rowid * 8 + " + statusCode() + ", r.status, r.attempt, ifnull(r.duration_ms, ?), r.bytes_processed,"
                    + " r.throughput_bytes_per_second, r.error_message, r.id"
                    + " FROM pipeline_runs r JOIN pipelines p ON p.id = r.pipeline_id"
                    + " WHERE r.started_at >= ? AND r.started_at < ?"
                    + " AND (? OR r.status IN (SELECT value FROM json_each(?)))"
                    + " ORDER BY r.started_at DESC, r.rowid DESC LIMIT ?",
            "SELECT rowid, name FROM pipelines ORDER BY rowid");

    /**
     * PostgreSQL: a pipeline's number is its rank by id, computed alike by both statements inside one
     * REPEATABLE READ transaction; ties of start time break by {@code recorded_order}, the insertion order.
     */
    static final EngineSql POSTGRESQL = EngineSql.build("json_array_elements_text(CAST(? AS json))", """
                    SELECT j.value FROM json_array_elements_text(CAST(:ids AS json)) WITH ORDINALITY AS j(value, key)
                    WHERE EXISTS (SELECT 1 FROM pipeline_runs r WHERE r.id = j.value) ORDER BY j.key LIMIT 1""",
            "recorded_order",
            "WITH p AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM pipelines)"
                    + " SELECT r.started_at || '|' || coalesce(r.finished_at, '') || '|' || r.id,"
                    + " p.n * 8 + " + statusCode() + ", r.status, r.attempt, coalesce(r.duration_ms, ?), r.bytes_processed,"
                    + " r.throughput_bytes_per_second, r.error_message, r.id"
                    + " FROM pipeline_runs r JOIN p ON p.id = r.pipeline_id"
                    + " WHERE r.started_at >= ? AND r.started_at < ?"
                    + " AND (? OR r.status IN (SELECT value FROM json_array_elements_text(CAST(? AS json))))"
                    + " ORDER BY r.started_at DESC, r.recorded_order DESC LIMIT ?",
            "SELECT row_number() OVER (ORDER BY id) AS n, name FROM pipelines ORDER BY n");
}
