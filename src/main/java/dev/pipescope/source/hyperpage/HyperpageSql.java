package dev.pipescope.source.hyperpage;

/** Every SQL statement over Hyperpage's tables. Times are epoch milliseconds, as Hyperpage stores them. */
final class HyperpageSql {
    private HyperpageSql() {}

    static final String JOB_COLUMNS = """
            id, type, name, priority, status, tool, endpoint, payload, result, created_at, updated_at, started_at,
            completed_at, retry_count, persisted_at, recovery_attempts""";

    static final String INSERT_JOB = """
            INSERT INTO jobs (id, type, name, priority, status, tool, endpoint, payload, result, created_at, updated_at,
                              retry_count, persisted_at, recovery_attempts)
            VALUES (:id, :type, :name, :priority, 'pending', :tool, :endpoint, :payload, NULL, :now, :now, 0, :now, 0)""";

    static final String FIND_JOB = "SELECT " + JOB_COLUMNS + " FROM jobs WHERE id = :id";

    static final String LIST_JOBS = "SELECT " + JOB_COLUMNS + " FROM jobs"
            + " WHERE :anyStatus OR status IN (SELECT value FROM json_each(:statuses))"
            + " ORDER BY created_at DESC, id DESC LIMIT :limit";

    static final String COUNT_BY_STATUS = "SELECT status, COUNT(*) FROM jobs GROUP BY status";

    static final String RUNNING_JOBS = "SELECT " + JOB_COLUMNS + " FROM jobs WHERE status = 'running' ORDER BY id";

    /** One statement for every transition: the caller computed the new row. */
    static final String UPDATE_JOB = """
            UPDATE jobs SET status = :status, result = :result, updated_at = :updatedAt, started_at = :startedAt,
                completed_at = :completedAt, retry_count = :retryCount, persisted_at = :updatedAt,
                recovery_attempts = :recoveryAttempts
            WHERE id = :id AND status = :expectedStatus""";

    static final String HISTORY_COLUMNS = "id, job_id, attempt, status, started_at, completed_at, duration_ms, error_message";

    static final String INSERT_ATTEMPT = """
            INSERT INTO job_history (job_id, attempt, status, started_at) VALUES (:jobId, :attempt, 'running', :startedAt)""";

    /** An attempt that started before Pipescope logged it (Hyperpage never writes job_history), recorded as it ends. */
    static final String INSERT_ENDED_ATTEMPT = """
            INSERT INTO job_history (job_id, attempt, status, started_at, completed_at, duration_ms, error_message)
            VALUES (:jobId, :attempt, :status, :startedAt, :completedAt, MAX(0, :completedAt - :startedAt), :error)""";

    static final String MAX_ATTEMPT = "SELECT COALESCE(MAX(attempt), 0) FROM job_history WHERE job_id = :jobId";

    /** Closes the job's open attempt (the latest one without an end). */
    static final String CLOSE_ATTEMPT = """
            UPDATE job_history SET status = :status, completed_at = :completedAt,
                duration_ms = MAX(0, :completedAt - started_at), error_message = :error
            WHERE id = (SELECT id FROM job_history WHERE job_id = :jobId AND completed_at IS NULL
                        ORDER BY attempt DESC, id DESC LIMIT 1)""";

    static final String HISTORY_OF = "SELECT " + HISTORY_COLUMNS + " FROM job_history WHERE job_id = :jobId"
            + " ORDER BY attempt, id";

    static final String ALL_HISTORY = "SELECT " + HISTORY_COLUMNS + " FROM job_history ORDER BY job_id, attempt, id";

    static final String LIST_TOOL_CONFIGS = """
            SELECT tool_name, enabled, config, refresh_interval, notifications, updated_at FROM tool_configs
            ORDER BY tool_name""";

    static final String UPSERT_TOOL_CONFIG = """
            INSERT INTO tool_configs (tool_name, enabled, config, refresh_interval, notifications, updated_at)
            VALUES (:toolName, :enabled, :config, :refreshInterval, :notifications, :now)
            ON CONFLICT (tool_name) DO UPDATE SET enabled = excluded.enabled, config = excluded.config,
                refresh_interval = excluded.refresh_interval, notifications = excluded.notifications,
                updated_at = excluded.updated_at""";

    static final String SET_TOOL_CONFIG = "UPDATE tool_configs SET config = :config, updated_at = :now WHERE tool_name = :toolName";

    static final String DELETE_TOOL_CONFIG = "DELETE FROM tool_configs WHERE tool_name = :toolName";

    static final String RATE_LIMIT_COLUMNS = "id, platform, limit_remaining, limit_total, reset_time, last_updated, created_at";

    static final String FIND_RATE_LIMIT = "SELECT " + RATE_LIMIT_COLUMNS + " FROM rate_limits WHERE id = :id";

    static final String LIST_RATE_LIMITS = "SELECT " + RATE_LIMIT_COLUMNS + " FROM rate_limits ORDER BY platform, id";

    static final String UPSERT_RATE_LIMIT = """
            INSERT INTO rate_limits (id, platform, limit_remaining, limit_total, reset_time, last_updated, created_at)
            VALUES (:id, :platform, :remaining, :total, :resetTime, :now, :now)
            ON CONFLICT (id) DO UPDATE SET limit_remaining = excluded.limit_remaining,
                limit_total = excluded.limit_total, reset_time = excluded.reset_time,
                last_updated = excluded.last_updated""";

    static final String DELETE_RATE_LIMIT = "DELETE FROM rate_limits WHERE id = :id";

    static final String GET_STATE = "SELECT value FROM app_state WHERE key = :key";

    static final String ALL_STATE = "SELECT key, value FROM app_state ORDER BY key";

    static final String PUT_STATE = """
            INSERT INTO app_state (key, value, updated_at) VALUES (:key, :value, :now)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at""";

    static final String REMOVE_STATE = "DELETE FROM app_state WHERE key = :key";

    /** Every job, for the unified view (Hyperpage's queue is small: finished jobs are pruned). */
    static final String ALL_JOBS = "SELECT " + JOB_COLUMNS + " FROM jobs ORDER BY created_at DESC, id";
}
