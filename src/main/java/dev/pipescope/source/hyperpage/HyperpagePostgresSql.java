package dev.pipescope.source.hyperpage;

/**
 * Every SQL statement over Hyperpage's PostgreSQL tables (its drizzle migration {@code 0000_*.sql}): {@code jobs}
 * with {@code bigserial} ids and a {@code jsonb} payload, {@code job_history} (one row per status change, whose
 * {@code details} carry the job's string id and, on the first row, its name, priority, tool and endpoint),
 * {@code rate_limits}, {@code tool_configs}, {@code app_state}. Times are {@code timestamp with time zone}; JSON is
 * read as text. Statements only read: Pipescope never writes Hyperpage's PostgreSQL database.
 */
final class HyperpagePostgresSql {
    private HyperpagePostgresSql() {}

    /**
     * A job row with what its history says of it, mapped by {@link PostgresJobRows#job}: columns 1-11 are the
     * job's own, 12-16 the details of its first history row that names the job ({@code externalId}), 17 the
     * latest result a status change recorded.
     */
    private static final String JOB_SELECT = """
            SELECT j.id, j.type, j.status, CAST(j.payload AS text), j.scheduled_at, j.started_at, j.completed_at, j.attempts,
                   j.last_error, j.created_at, j.updated_at,
                   first.details ->> 'externalId', first.details ->> 'name', CAST(first.details -> 'priority' AS text),
                   CAST(first.details -> 'tool' AS text), first.details ->> 'endpoint',
                   (SELECT CAST(h.details -> 'result' AS text) FROM job_history h
                    WHERE h.job_id = j.id AND COALESCE(jsonb_typeof(h.details -> 'result'), 'null') <> 'null'
                    ORDER BY h.created_at DESC, h.id DESC LIMIT 1)
            FROM jobs j
            LEFT JOIN LATERAL (SELECT h.details FROM job_history h
                               WHERE h.job_id = j.id AND h.details ->> 'externalId' IS NOT NULL
                               ORDER BY h.created_at, h.id LIMIT 1) first ON true""";

    /** Every job, newest created first (the same order as SQLite's {@code LIST_JOBS}). */
    static final String ALL_JOBS = JOB_SELECT + " ORDER BY j.created_at DESC, j.id DESC";

    /** Jobs with one of the statuses (all with {@code :anyStatus}), newest created first, at most {@code :limit}. */
    static final String LIST_JOBS = JOB_SELECT
            + " WHERE :anyStatus OR j.status = ANY(:statuses) ORDER BY j.created_at DESC, j.id DESC LIMIT :limit";

    /**
     * The job a string id names: the job whose history names it ({@code details.externalId}), else the job of that
     * {@code bigserial} id when it has no such history (Hyperpage shows those by their number).
     */
    static final String FIND_JOB = JOB_SELECT + """
             WHERE first.details ->> 'externalId' = :id
                OR (first.details IS NULL AND CAST(j.id AS text) = :id)
            ORDER BY j.created_at DESC, j.id DESC LIMIT 1""";

    static final String COUNT_BY_STATUS = "SELECT status, COUNT(*) FROM jobs GROUP BY status";

    /**
     * A status change, mapped by {@link PostgresJobRows#event}: the row's id, its job's {@code bigserial} id, the
     * status, the string id it names, the recorded result's error message (when the result is there and its error
     * is text or has a text {@code message}), and when it was recorded.
     */
    private static final String EVENT_SELECT = """
            SELECT h.id, h.job_id, h.status, h.details ->> 'externalId',
                   COALESCE(CASE WHEN jsonb_typeof(h.details #> '{result,error}') = 'string'
                                 THEN h.details #>> '{result,error}' END,
                            CASE WHEN jsonb_typeof(h.details #> '{result,error,message}') = 'string'
                                 THEN h.details #>> '{result,error,message}' END),
                   h.created_at
            FROM job_history h""";

    /** Every status change, by job, in the order they were recorded. */
    static final String ALL_EVENTS = EVENT_SELECT + " ORDER BY h.job_id, h.created_at, h.id";

    /**
     * The status changes of the job a string id names: the job whose history names it, else the job of that
     * number; also for a job Hyperpage's clean-up deleted (it leaves the history).
     */
    static final String EVENTS_OF = EVENT_SELECT + """
             WHERE h.job_id = COALESCE(
                    (SELECT n.job_id FROM job_history n WHERE n.details ->> 'externalId' = :id
                     ORDER BY n.created_at, n.id LIMIT 1),
                    (SELECT j.id FROM jobs j WHERE CAST(j.id AS text) = :id))
            ORDER BY h.created_at, h.id""";

    /** Hyperpage's own settings rows (it reads and writes only the {@code system}/{@code global} owner). */
    static final String LIST_TOOL_CONFIGS = """
            SELECT key, CAST(config AS text), updated_at FROM tool_configs
            WHERE owner_type = 'system' AND owner_id = 'global' ORDER BY key""";

    /**
     * Rate limits: {@code metadata} carries {@code platform}, {@code limitTotal} and {@code lastUpdated} (epoch
     * ms) as JSON, read as text; mapped by {@link PostgresRateLimits}.
     */
    private static final String RATE_LIMIT_SELECT = """
            SELECT id, key, remaining, reset_at, metadata ->> 'platform',
                   CASE WHEN jsonb_typeof(metadata -> 'limitTotal') = 'number' THEN (metadata ->> 'limitTotal') END,
                   CASE WHEN jsonb_typeof(metadata -> 'lastUpdated') = 'number' THEN (metadata ->> 'lastUpdated') END,
                   created_at
            FROM rate_limits""";

    /** Every row ({@code key} is not unique in Hyperpage's schema), by key, oldest first. */
    static final String LIST_RATE_LIMITS = RATE_LIMIT_SELECT + " ORDER BY key, created_at, id";

    /** The newest row of a key. */
    static final String FIND_RATE_LIMIT = RATE_LIMIT_SELECT + " WHERE key = :key ORDER BY created_at DESC, id DESC LIMIT 1";

    static final String GET_STATE = "SELECT CAST(value AS text) FROM app_state WHERE key = :key";

    static final String ALL_STATE = "SELECT key, CAST(value AS text) FROM app_state ORDER BY key";
}
