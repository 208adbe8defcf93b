package dev.pipescope.source.etl;

import dev.pipescope.engine.Dialect;

/**
 * Every SQL statement over the ETL framework's tables. In a SQLite file its DATETIME text
 * ({@code YYYY-MM-DD HH:MM:SS.ffffff}, always six digits) sorts as time, so time bounds are bound in that form; on
 * PostgreSQL the columns are {@code timestamp without time zone} and bounds bind as local date-times. A null filter
 * matches everything. The statements that differ between the engines are in {@link #SQLITE} and {@link #POSTGRESQL}.
 */
final class EtlSql {
    private EtlSql() {}

    static final String JOBS = "SELECT id, name, num_of_retries, file_logging, strategy_type FROM jobtable ORDER BY name, id";

    static final String JOB = "SELECT id, name, num_of_retries, file_logging, strategy_type FROM jobtable WHERE id = :id";

    static final String LINKS = """
            SELECT id, job_id, src_component_id, src_out_port, dst_component_id, dst_in_port, position
            FROM componentlinktable WHERE job_id = :jobId ORDER BY src_component_id, src_out_port, position, id""";

    static final String SCHEDULES = """
            SELECT id, name, job_id, environment, trigger_type, trigger_args, is_paused, created_at, updated_at
            FROM scheduletable ORDER BY name, id""";

    static final String EXECUTION_COLUMNS = "id, job_id, environment, status, error, started_at, finished_at";

    static final String EXECUTION = "SELECT " + EXECUTION_COLUMNS + " FROM executiontable WHERE id = :id";

    /**
     * The statements whose form depends on the engine.
     *
     * @param components     a job's components, in the order their payload's {@code order} gives (then by name)
     * @param hasTable       whether a table of the framework's newer versions is there (older ones lack links and
     *                       schedules)
     * @param newestFirst    executions matching the filters, newest started first
     * @param oldestFirst    the same, oldest first
     * @param longestFirst   the same, longest first (unfinished last)
     * @param attemptsOf     the attempts of a set of executions ({@code :ids})
     * @param unified        executions with their job's name and attempt count, for the unified view
     */
    record Statements(String components, String hasTable, String newestFirst, String oldestFirst, String longestFirst,
                      String attemptsOf, String unified) {}

    /** The WHERE clause of SQLite's listings (a method, so the catalog does not take it for a statement). */
    private static String sqliteFilters() {
        return " " + """
             WHERE (:jobId IS NULL OR job_id = :jobId) AND (:status IS NULL OR status = :status)
               AND (:environment IS NULL OR environment = :environment)
               AND (:from IS NULL OR started_at >= :from) AND (:to IS NULL OR started_at < :to)""";
    }

    /** PostgreSQL's: a parameter's type cannot come from {@code IS NULL}, so each says what it is. */
    private static String postgresFilters() {
        return " " + """
             WHERE (CAST(:jobId AS varchar) IS NULL OR job_id = :jobId)
               AND (CAST(:status AS varchar) IS NULL OR status = :status)
               AND (CAST(:environment AS varchar) IS NULL OR environment = :environment)
               AND (CAST(:from AS timestamp) IS NULL OR started_at >= :from)
               AND (CAST(:to AS timestamp) IS NULL OR started_at < :to)""";
    }

    static final Statements SQLITE = new Statements("""
            SELECT id, job_id, name, description, comp_type, payload FROM componenttable WHERE job_id = :jobId
            ORDER BY json_extract(CASE WHEN json_valid(payload) THEN payload END, '$.order'), name""",
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name)",
            "SELECT " + EXECUTION_COLUMNS + " FROM executiontable" + sqliteFilters() + " ORDER BY started_at DESC, id LIMIT :limit",
            "SELECT " + EXECUTION_COLUMNS + " FROM executiontable" + sqliteFilters() + " ORDER BY started_at, id LIMIT :limit",
            "SELECT " + EXECUTION_COLUMNS + " FROM executiontable" + sqliteFilters()
                    + " ORDER BY julianday(finished_at) - julianday(started_at) DESC NULLS LAST, started_at DESC, id LIMIT :limit",
            """
            SELECT id, execution_id, attempt_index, status, error, started_at, finished_at FROM executionattempttable
            WHERE execution_id IN (SELECT value FROM json_each(:ids)) ORDER BY execution_id, attempt_index, id""",
            """
            SELECT e.id, e.job_id, e.environment, e.status, e.error, e.started_at, e.finished_at, j.name,
                   (SELECT COUNT(*) FROM executionattempttable a WHERE a.execution_id = e.id)
            FROM executiontable e LEFT JOIN jobtable j ON j.id = e.job_id
            WHERE (:from IS NULL OR e.started_at >= :from) AND (:to IS NULL OR e.started_at < :to)
            ORDER BY e.started_at DESC, e.id""");

    /**
     * On PostgreSQL the payload is {@code json}: components order as SQLite's {@code json_extract} does (no order
     * first, then numbers by value, then any other JSON by its text).
     */
    static final Statements POSTGRESQL = new Statements("""
            SELECT id, job_id, name, description, comp_type, CAST(payload AS text) FROM componenttable
            WHERE job_id = :jobId
            ORDER BY CASE json_typeof(payload -> 'order') WHEN 'number' THEN 1 WHEN 'boolean' THEN 1 WHEN 'null' THEN 0
                          WHEN 'string' THEN 2 WHEN 'object' THEN 2 WHEN 'array' THEN 2 ELSE 0 END,
                     CASE WHEN json_typeof(payload -> 'order') = 'number' THEN CAST(payload ->> 'order' AS numeric) END,
                     payload ->> 'order', name""",
            """
            SELECT EXISTS (SELECT 1 FROM information_schema.tables
                           WHERE table_schema = current_schema() AND table_name = :name)""",
            "SELECT " + EXECUTION_COLUMNS + " FROM executiontable" + postgresFilters() + " ORDER BY started_at DESC, id LIMIT :limit",
            "SELECT " + EXECUTION_COLUMNS + " FROM executiontable" + postgresFilters() + " ORDER BY started_at, id LIMIT :limit",
            "SELECT " + EXECUTION_COLUMNS + " FROM executiontable" + postgresFilters()
                    + " ORDER BY finished_at - started_at DESC NULLS LAST, started_at DESC, id LIMIT :limit",
            """
            SELECT id, execution_id, attempt_index, status, error, started_at, finished_at FROM executionattempttable
            WHERE execution_id = ANY(:ids) ORDER BY execution_id, attempt_index, id""",
            """
            SELECT e.id, e.job_id, e.environment, e.status, e.error, e.started_at, e.finished_at, j.name,
                   (SELECT COUNT(*) FROM executionattempttable a WHERE a.execution_id = e.id)
            FROM executiontable e LEFT JOIN jobtable j ON j.id = e.job_id
            WHERE (CAST(:from AS timestamp) IS NULL OR e.started_at >= :from)
              AND (CAST(:to AS timestamp) IS NULL OR e.started_at < :to)
            ORDER BY e.started_at DESC, e.id""");

    /** The statements of {@code dialect}. */
    static Statements of(Dialect dialect) {
        return dialect == Dialect.POSTGRESQL ? POSTGRESQL : SQLITE;
    }
}
