package dev.pipescope.source.etl;

/**
 * Every SQL statement over the ETL framework's tables. Its DATETIME text
 * ({@code YYYY-MM-DD HH:MM:SS.ffffff}, always six digits) sorts as time, so time bounds are bound in
 * that form; a null filter matches everything.
 */
final class EtlSql {
    private EtlSql() {}

    static final String JOBS = "SELECT id, name, num_of_retries, file_logging, strategy_type FROM jobtable ORDER BY name, id";

    static final String JOB = "SELECT id, name, num_of_retries, file_logging, strategy_type FROM jobtable WHERE id = :id";

    static final String COMPONENTS = """
            SELECT id, job_id, name, description, comp_type, payload FROM componenttable WHERE job_id = :jobId
            ORDER BY json_extract(CASE WHEN json_valid(payload) THEN payload END, '$.order'), name""";

    static final String LINKS = """
            SELECT id, job_id, src_component_id, src_out_port, dst_component_id, dst_in_port, position
            FROM componentlinktable WHERE job_id = :jobId ORDER BY src_component_id, src_out_port, position, id""";

    static final String SCHEDULES = """
            SELECT id, name, job_id, environment, trigger_type, trigger_args, is_paused, created_at, updated_at
            FROM scheduletable ORDER BY name, id""";

    /** Whether a table of the framework's newer versions is in the file (older ones lack links and schedules). */
    static final String HAS_TABLE = "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name)";

    static final String EXECUTION_COLUMNS = "id, job_id, environment, status, error, started_at, finished_at";

    static final String EXECUTION = "SELECT " + EXECUTION_COLUMNS + " FROM executiontable WHERE id = :id";

    /** The WHERE clause every listing shares (a method, so the catalog does not take it for a statement). */
    private static String filters() {
        return " " + """
             WHERE (:jobId IS NULL OR job_id = :jobId) AND (:status IS NULL OR status = :status)
               AND (:environment IS NULL OR environment = :environment)
               AND (:from IS NULL OR started_at >= :from) AND (:to IS NULL OR started_at < :to)""";
    }

    static final String EXECUTIONS_NEWEST_FIRST = "SELECT " + EXECUTION_COLUMNS + " FROM executiontable" + filters()
            + " ORDER BY started_at DESC, id LIMIT :limit";

    static final String EXECUTIONS_OLDEST_FIRST = "SELECT " + EXECUTION_COLUMNS + " FROM executiontable" + filters()
            + " ORDER BY started_at, id LIMIT :limit";

    static final String EXECUTIONS_LONGEST_FIRST = "SELECT " + EXECUTION_COLUMNS + " FROM executiontable" + filters()
            + " ORDER BY julianday(finished_at) - julianday(started_at) DESC NULLS LAST, started_at DESC, id LIMIT :limit";

    static final String ATTEMPTS_OF = """
            SELECT id, execution_id, attempt_index, status, error, started_at, finished_at FROM executionattempttable
            WHERE execution_id IN (SELECT value FROM json_each(:ids)) ORDER BY execution_id, attempt_index, id""";

    /** Executions with their job's name, for the unified view. */
    static final String UNIFIED = """
            SELECT e.id, e.job_id, e.environment, e.status, e.error, e.started_at, e.finished_at, j.name,
                   (SELECT COUNT(*) FROM executionattempttable a WHERE a.execution_id = e.id)
            FROM executiontable e LEFT JOIN jobtable j ON j.id = e.job_id
            WHERE (:from IS NULL OR e.started_at >= :from) AND (:to IS NULL OR e.started_at < :to)
            ORDER BY e.started_at DESC, e.id""";
}
