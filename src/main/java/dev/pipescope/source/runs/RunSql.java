package dev.pipescope.source.runs;

/**
 * Every SQL statement of the run history ({@code pipeline_runs}). Time bounds are RFC 3339 text with
 * a {@code +00:00} offset, whose text order is time order; an absent bound is bound as {@link SqlRunRepository#NO_LOWER_BOUND}
 * or {@link SqlRunRepository#NO_UPPER_BOUND}, which sort before and after every timestamp, so one statement serves
 * every combination of filters and still walks an index.
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

    /** The first of a JSON array of ids that is already stored (to name it after a refused batch). */
    static final String FIRST_TAKEN_ID = """
            SELECT j.value FROM json_each(:ids) j WHERE EXISTS (SELECT 1 FROM pipeline_runs r WHERE r.id = j.value)
            ORDER BY j.key LIMIT 1""";

    /** The conditions every listing shares (a method, so the catalog does not take it for a statement). */
    private static String filters() {
        return " " + """
             started_at >= :from AND started_at < :to
             AND (:anyStatus OR status IN (SELECT value FROM json_each(:statuses)))""";
    }

    static final String LIST_OF_PIPELINE = "SELECT " + RUN_COLUMNS + " FROM pipeline_runs WHERE pipeline_id = :pipelineId"
            + " AND" + filters() + " ORDER BY started_at DESC, rowid DESC LIMIT :limit OFFSET :offset";

    static final String LIST_ALL = "SELECT " + RUN_COLUMNS + " FROM pipeline_runs WHERE" + filters()
            + " ORDER BY started_at DESC, rowid DESC LIMIT :limit OFFSET :offset";

    static final String COUNT_OF_PIPELINE = "SELECT COUNT(*) FROM pipeline_runs WHERE pipeline_id = :pipelineId AND"
            + filters();

    static final String COUNT_ALL = "SELECT COUNT(*) FROM pipeline_runs WHERE" + filters();

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

    static final String LATEST_OF_PIPELINE = "SELECT " + RUN_COLUMNS + " FROM pipeline_runs"
            + " WHERE pipeline_id = :pipelineId ORDER BY started_at DESC, rowid DESC LIMIT 1";

    static final String STALE = "SELECT " + RUN_COLUMNS + " FROM pipeline_runs"
            + " WHERE status = 'running' AND updated_at < :before ORDER BY updated_at, rowid";

    /** Pipescope runs with their pipeline's name, for the unified view. */
    static final String UNIFIED = "SELECT r.id, r.pipeline_id, r.status, r.attempt, r.started_at, r.finished_at,"
            + " r.updated_at, r.duration_ms, r.bytes_processed, r.bytes_total, r.chunks_processed, r.chunks_total,"
            + " r.throughput_bytes_per_second, r.compression_ratio, r.error_count, r.warning_count,"
            + " r.input_file_size_bytes, r.output_file_size_bytes, r.input_file_checksum, r.output_file_checksum,"
            + " r.error_message, p.name FROM pipeline_runs r JOIN pipelines p ON p.id = r.pipeline_id"
            + " WHERE r.started_at >= :from AND r.started_at < :to"
            + " AND (:anyStatus OR r.status IN (SELECT value FROM json_each(:statuses)))"
            + " ORDER BY r.started_at DESC, r.rowid DESC LIMIT :limit";

    /**
     * The unified read column by column ({@code RunRepository.unifiedColumns}). sqlite-jdbc makes one
     * synchronized native call per value read, which cost more than SQLite's own work over a million rows,
     * so values travel packed: {@code started_at|finished_at|id} as one text (timestamps hold no '|'; the
     * id goes last, whatever it holds), and the pipeline's rowid times 8 plus a status code (1 running,
     * 2 succeeded, 3 failed, 4 cancelled, 0 anything else, then read as text from column 3) as one integer.
     * An absent duration comes back as the bound {@code absent} value. Positional, for a cached statement.
     * Binds: absent, from, to, any status (0/1), statuses (JSON array), limit.
     */
    static final String UNIFIED_COLUMNS = "SELECT r.started_at || '|' || ifnull(r.finished_at, '') || '|' || r.id,"
            + " p.rowid * 8 + CASE r.status WHEN 'running' THEN 1 WHEN 'succeeded' THEN 2 WHEN 'failed' THEN 3"
            + " WHEN 'cancelled' THEN 4 ELSE 0 END, r.status, r.attempt, ifnull(r.duration_ms, ?), r.bytes_processed,"
            + " r.throughput_bytes_per_second, r.error_message, r.id"
            + " FROM pipeline_runs r JOIN pipelines p ON p.id = r.pipeline_id"
            + " WHERE r.started_at >= ? AND r.started_at < ?"
            + " AND (? OR r.status IN (SELECT value FROM json_each(?)))"
            + " ORDER BY r.started_at DESC, r.rowid DESC LIMIT ?";

    /** Pipeline names by rowid, read once per {@link #UNIFIED_COLUMNS} in the same transaction. */
    static final String PIPELINE_NAMES_BY_ROWID = "SELECT rowid, name FROM pipelines ORDER BY rowid";
}
