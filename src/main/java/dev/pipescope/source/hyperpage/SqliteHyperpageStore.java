package dev.pipescope.source.hyperpage;

import dev.pipescope.sqlite.SqliteConnections;

import static dev.pipescope.domain.PipelineRules.required;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.domain.AppState;
import dev.pipescope.domain.HyperpageStore;
import dev.pipescope.domain.Job;
import dev.pipescope.domain.JobAttempt;
import dev.pipescope.domain.JobRepository;
import dev.pipescope.domain.JobSpec;
import dev.pipescope.domain.JobStatus;
import dev.pipescope.domain.RateLimit;
import dev.pipescope.domain.RateLimits;
import dev.pipescope.domain.ToolConfig;
import dev.pipescope.domain.ToolConfigs;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.NotFoundException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Handle;

/** Hyperpage's tables in a SQLite file. */
final class SqliteHyperpageStore implements HyperpageStore {
    private final Jobs jobs;
    private final Configs configs;
    private final Limits limits;
    private final State state;

    SqliteHyperpageStore(SqliteConnections connections, Clock clock, ObjectMapper json) {
        this.jobs = new Jobs(connections, clock, json);
        this.configs = new Configs(connections, clock, json);
        this.limits = new Limits(connections, clock);
        this.state = new State(connections, clock);
    }

    @Override
    public JobRepository jobs() {
        return jobs;
    }

    @Override
    public ToolConfigs toolConfigs() {
        return configs;
    }

    @Override
    public RateLimits rateLimits() {
        return limits;
    }

    @Override
    public AppState appState() {
        return state;
    }

    static Instant millis(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static Long toMillis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    /** Maps a row selected with {@link HyperpageSql#JOB_COLUMNS}. */
    static Job mapJob(ResultSet rs, String file) throws SQLException {
        var id = rs.getString(1);
        var status = JobStatus.parse(rs.getString(5)).orElseThrow(() -> new CorruptDataException(
                "jobs row " + id + " in " + file + " has a status Hyperpage never writes"));
        return new Job(id, rs.getString(2), rs.getString(3), rs.getInt(4), status, rs.getString(6), rs.getString(7),
                rs.getString(8), rs.getString(9), millis(rs, 10), millis(rs, 11), millis(rs, 12), millis(rs, 13),
                rs.getInt(14), millis(rs, 15), rs.getInt(16));
    }

    /** Maps a row selected with {@link HyperpageSql#HISTORY_COLUMNS}. */
    static JobAttempt mapAttempt(ResultSet rs, String file) throws SQLException {
        long id = rs.getLong(1);
        var status = JobStatus.parse(rs.getString(4)).orElseThrow(() -> new CorruptDataException(
                "job_history row " + id + " in " + file + " has a status Hyperpage never writes"));
        return new JobAttempt(id, rs.getString(2), rs.getInt(3), status, millis(rs, 5), millis(rs, 6),
                nullableLong(rs, 7), rs.getString(8));
    }

    /** The job queue and its attempt log. */
    static final class Jobs implements JobRepository {
        private static final char[] SUFFIX = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
        private final SqliteConnections db;
        private final Clock clock;
        private final ObjectMapper json;
        private final Random random = new SecureRandom();

        Jobs(SqliteConnections db, Clock clock, ObjectMapper json) {
            this.db = db;
            this.clock = clock;
            this.json = json;
        }

        @Override
        public Job submit(JobSpec spec) {
            required(spec, "job spec");
            if (spec.type() == null || spec.type().isBlank()) {
                throw new InvalidArgumentException("job type is blank");
            }
            if (spec.name() == null || spec.name().isBlank()) {
                throw new InvalidArgumentException("job name is blank");
            }
            if (spec.priority() < 1 || spec.priority() > 4) {
                throw new InvalidArgumentException("job priority must be 1 to 4, was " + spec.priority());
            }
            requireJson(spec.payload(), "payload of job '" + spec.name() + "'");
            long now = clock.millis();
            var prefix = spec.tool() == null || spec.tool().isBlank() ? spec.type() : spec.tool();
            var suffix = new StringBuilder(6);
            for (int i = 0; i < 6; i++) {
                suffix.append(SUFFIX[random.nextInt(SUFFIX.length)]);
            }
            var id = prefix + "-" + now + "-" + suffix;
            return db.write("queue job '" + spec.name() + "' in jobs", h -> {
                h.createUpdate(HyperpageSql.INSERT_JOB).bind("id", id).bind("type", spec.type())
                        .bind("name", spec.name()).bind("priority", spec.priority()).bind("tool", spec.tool())
                        .bind("endpoint", spec.endpoint()).bind("payload", spec.payload()).bind("now", now).execute();
                return load(h, id);
            });
        }

        private void requireJson(String text, String what) {
            if (text == null) {
                throw new InvalidArgumentException(what + " is null; it must be JSON text");
            }
            try {
                json.readTree(text);
            } catch (JsonProcessingException e) {
                throw new InvalidArgumentException(what + " is not JSON: " + e.getOriginalMessage(), e);
            }
        }

        @Override
        public Optional<Job> find(String id) {
            required(id, "job id");
            return db.read("find job " + id, h -> h.createQuery(HyperpageSql.FIND_JOB).bind("id", id)
                    .map((rs, ctx) -> mapJob(rs, db.file())).findOne());
        }

        @Override
        public List<Job> list(int limit, JobStatus... statuses) {
            dev.pipescope.domain.PipelineRules.validatePage(0, limit);
            var wanted = EnumSet.noneOf(JobStatus.class);
            for (var s : statuses) {
                wanted.add(required(s, "job status"));
            }
            var array = new StringBuilder("[");
            for (var s : wanted) {
                array.append(array.length() > 1 ? "," : "").append('"').append(s.dbValue()).append('"');
            }
            return db.read("list jobs", h -> h.createQuery(HyperpageSql.LIST_JOBS)
                    .bind("anyStatus", wanted.isEmpty()).bind("statuses", array.append(']').toString())
                    .bind("limit", limit).map((rs, ctx) -> mapJob(rs, db.file())).list());
        }

        @Override
        public Map<JobStatus, Long> countByStatus() {
            var counts = new EnumMap<JobStatus, Long>(JobStatus.class);
            for (var s : JobStatus.values()) {
                counts.put(s, 0L);
            }
            db.read("count jobs by status", h -> {
                h.createQuery(HyperpageSql.COUNT_BY_STATUS).map((rs, ctx) -> {
                    var word = rs.getString(1);
                    var status = JobStatus.parse(word).orElseThrow(() -> new CorruptDataException(
                            "jobs in " + db.file() + " has status '" + word + "', which Hyperpage never writes"));
                    counts.put(status, rs.getLong(2));
                    return status;
                }).list();
                return null;
            });
            return counts;
        }

        @Override
        public Job start(String id) {
            return transition(id, "start", (h, job, now) -> {
                expect(job, "start", JobStatus.PENDING);
                h.createUpdate(HyperpageSql.INSERT_ATTEMPT).bind("jobId", id).bind("attempt", nextAttempt(h, job))
                        .bind("startedAt", now).execute();
                return with(job, JobStatus.RUNNING, job.result(), Instant.ofEpochMilli(now), null, job.retryCount(),
                        job.recoveryAttempts());
            });
        }

        /** The counters' attempt number, or one past the log's last when the log is ahead of them. */
        private static int nextAttempt(Handle h, Job job) {
            return Math.max(job.retryCount() + job.recoveryAttempts() + 1,
                    h.createQuery(HyperpageSql.MAX_ATTEMPT).bind("jobId", job.id()).mapTo(Integer.class).one() + 1);
        }

        @Override
        public Job complete(String id, String resultJson) {
            requireJson(resultJson, "result of job " + id);
            return end(id, "complete", JobStatus.COMPLETED, resultJson, null);
        }

        @Override
        public Job fail(String id, String error) {
            required(error, "error of job " + id);
            return end(id, "fail", JobStatus.FAILED, null, error);
        }

        @Override
        public Job timeOut(String id, String error) {
            required(error, "error of job " + id);
            return end(id, "time out", JobStatus.TIMEOUT, null, error);
        }

        @Override
        public Job cancel(String id, String reason) {
            required(reason, "reason for cancelling job " + id);
            return transition(id, "cancel", (h, job, now) -> {
                expect(job, "cancel", JobStatus.PENDING, JobStatus.RUNNING);
                if (job.status() == JobStatus.RUNNING) {
                    closeAttempt(h, job, JobStatus.CANCELLED, now, reason);
                }
                return with(job, JobStatus.CANCELLED, job.result(), job.startedAt(), Instant.ofEpochMilli(now),
                        job.retryCount(), job.recoveryAttempts());
            });
        }

        @Override
        public Job retry(String id) {
            return transition(id, "retry", (h, job, now) -> {
                expect(job, "retry", JobStatus.FAILED, JobStatus.TIMEOUT, JobStatus.CANCELLED);
                return with(job, JobStatus.PENDING, null, null, null, job.retryCount() + 1, job.recoveryAttempts());
            });
        }

        private Job end(String id, String action, JobStatus status, String result, String error) {
            return transition(id, action, (h, job, now) -> {
                expect(job, action, JobStatus.RUNNING);
                closeAttempt(h, job, status, now, error);
                return with(job, status, result, job.startedAt(), Instant.ofEpochMilli(now), job.retryCount(),
                        job.recoveryAttempts());
            });
        }

        /** Closes the running attempt's history row, or writes it whole when it started unlogged. */
        private static void closeAttempt(Handle h, Job job, JobStatus status, long now, String error) {
            int closed = h.createUpdate(HyperpageSql.CLOSE_ATTEMPT).bind("jobId", job.id())
                    .bind("status", status.dbValue()).bind("completedAt", now).bind("error", error).execute();
            if (closed == 0) {
                long started = job.startedAt() == null ? now : Math.min(now, job.startedAt().toEpochMilli());
                h.createUpdate(HyperpageSql.INSERT_ENDED_ATTEMPT).bind("jobId", job.id())
                        .bind("attempt", nextAttempt(h, job)).bind("status", status.dbValue())
                        .bind("startedAt", started).bind("completedAt", now).bind("error", error).execute();
            }
        }

        private static void expect(Job job, String action, JobStatus... allowed) {
            for (var s : allowed) {
                if (job.status() == s) {
                    return;
                }
            }
            throw new InvalidArgumentException("cannot " + action + " job " + job.id() + ": it is "
                    + job.status().dbValue() + ", and only " + List.of(allowed).stream().map(JobStatus::dbValue).toList()
                    + " jobs can be");
        }

        private static Job with(Job job, JobStatus status, String result, Instant startedAt, Instant completedAt,
                                int retryCount, int recoveryAttempts) {
            return new Job(job.id(), job.type(), job.name(), job.priority(), status, job.tool(), job.endpoint(),
                    job.payload(), result, job.createdAt(), job.updatedAt(), startedAt, completedAt, retryCount,
                    job.persistedAt(), recoveryAttempts);
        }

        @FunctionalInterface
        private interface Transition {
            Job apply(Handle h, Job job, long now);
        }

        private Job transition(String id, String action, Transition transition) {
            required(id, "job id");
            return db.write(action + " job " + id + " in jobs", h -> {
                long now = clock.millis();
                var job = load(h, id);
                var next = transition.apply(h, job, now);
                store(h, job.status(), next, now);
                return load(h, id);
            });
        }

        private static void store(Handle h, JobStatus expected, Job next, long now) {
            int changed = h.createUpdate(HyperpageSql.UPDATE_JOB).bind("id", next.id())
                    .bind("status", next.status().dbValue()).bind("result", next.result()).bind("updatedAt", now)
                    .bind("startedAt", toMillis(next.startedAt())).bind("completedAt", toMillis(next.completedAt()))
                    .bind("retryCount", next.retryCount()).bind("recoveryAttempts", next.recoveryAttempts())
                    .bind("expectedStatus", expected.dbValue()).execute();
            if (changed != 1) {
                throw new IllegalStateException("job " + next.id() + " changed status under a write transaction");
            }
        }

        private Job load(Handle h, String id) {
            return h.createQuery(HyperpageSql.FIND_JOB).bind("id", id).map((rs, ctx) -> mapJob(rs, db.file()))
                    .findOne().orElseThrow(() -> new NotFoundException("no job with id " + id + " in jobs of " + db.file()));
        }

        @Override
        public List<JobAttempt> history(String jobId) {
            required(jobId, "job id");
            return db.read("read job_history of job " + jobId, h -> h.createQuery(HyperpageSql.HISTORY_OF)
                    .bind("jobId", jobId).map((rs, ctx) -> mapAttempt(rs, db.file())).list());
        }

        @Override
        public List<Job> recoverInterrupted(int maxRecoveryAttempts) {
            if (maxRecoveryAttempts < 0) {
                throw new InvalidArgumentException("max recovery attempts must be 0 or more, was " + maxRecoveryAttempts);
            }
            return db.write("recover interrupted jobs in jobs", h -> {
                long now = clock.millis();
                var recovered = new ArrayList<Job>();
                var running = h.createQuery(HyperpageSql.RUNNING_JOBS).map((rs, ctx) -> mapJob(rs, db.file())).list();
                for (var job : running) {
                    closeAttempt(h, job, JobStatus.FAILED, now, "interrupted: the process running it ended");
                    boolean giveUp = job.recoveryAttempts() >= maxRecoveryAttempts;
                    var next = giveUp
                            ? with(job, JobStatus.FAILED, null, job.startedAt(), Instant.ofEpochMilli(now),
                                    job.retryCount(), job.recoveryAttempts() + 1)
                            : with(job, JobStatus.PENDING, null, null, null, job.retryCount(), job.recoveryAttempts() + 1);
                    store(h, JobStatus.RUNNING, next, now);
                    recovered.add(load(h, job.id()));
                }
                return recovered;
            });
        }
    }

    /** Tool settings, cached per open database. */
    static final class Configs implements ToolConfigs {
        private final SqliteConnections db;
        private final Clock clock;
        private final ObjectMapper json;
        /** Null when not loaded; replaced whole, never mutated, so readers need no lock. */
        private final AtomicReference<Map<String, ToolConfig>> cache = new AtomicReference<>();

        Configs(SqliteConnections db, Clock clock, ObjectMapper json) {
            this.db = db;
            this.clock = clock;
            this.json = json;
        }

        private Map<String, ToolConfig> all() {
            var cached = cache.get();
            if (cached != null) {
                return cached;
            }
            var loaded = db.read("read tool_configs", this::load);
            cache.compareAndSet(null, loaded);
            return loaded;
        }

        private Map<String, ToolConfig> load(Handle h) {
            var map = new LinkedHashMap<String, ToolConfig>();
            h.createQuery(HyperpageSql.LIST_TOOL_CONFIGS).map((rs, ctx) -> {
                var name = rs.getString(1);
                var text = rs.getString(3);
                JsonNode config = null;
                if (text != null) {
                    try {
                        config = json.readTree(text);
                    } catch (JsonProcessingException e) {
                        throw new CorruptDataException("tool_configs row '" + name + "' in " + db.file()
                                + " has a config that is not JSON: " + e.getOriginalMessage(), e);
                    }
                }
                return new ToolConfig(name, rs.getInt(2) != 0, config, nullableLong(rs, 4), rs.getInt(5) != 0,
                        millis(rs, 6));
            }).forEach(c -> map.put(c.toolName(), c));
            return java.util.Collections.unmodifiableMap(map);
        }

        @Override
        public Optional<ToolConfig> find(String toolName) {
            required(toolName, "tool name");
            return Optional.ofNullable(all().get(toolName));
        }

        @Override
        public List<ToolConfig> list() {
            return List.copyOf(all().values());
        }

        @Override
        public <T> Optional<T> config(String toolName, Class<T> type) {
            required(type, "config type");
            return find(toolName).map(ToolConfig::config).map(node -> {
                try {
                    return json.treeToValue(node, type);
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    throw new CorruptDataException("config of tool '" + toolName + "' in tool_configs of " + db.file()
                            + " does not fit " + type.getSimpleName() + ": " + e.getMessage(), e);
                }
            });
        }

        @Override
        public ToolConfig upsert(String toolName, boolean enabled, JsonNode config, Long refreshIntervalMs,
                                 boolean notifications) {
            requireName(toolName);
            if (refreshIntervalMs != null && refreshIntervalMs <= 0) {
                throw new InvalidArgumentException("refresh interval of tool '" + toolName + "' must be positive, was "
                        + refreshIntervalMs);
            }
            var text = config == null ? null : config.toString();
            return write("save settings of tool '" + toolName + "' in tool_configs", toolName, h ->
                    h.createUpdate(HyperpageSql.UPSERT_TOOL_CONFIG).bind("toolName", toolName)
                            .bind("enabled", enabled ? 1 : 0).bind("config", text).bind("refreshInterval", refreshIntervalMs)
                            .bind("notifications", notifications ? 1 : 0).bind("now", clock.millis()).execute());
        }

        @Override
        public ToolConfig setConfig(String toolName, Object config) {
            requireName(toolName);
            String text;
            try {
                text = config == null ? null : json.writeValueAsString(config);
            } catch (JsonProcessingException e) {
                throw new InvalidArgumentException("config of tool '" + toolName + "' cannot be written as JSON: "
                        + e.getOriginalMessage(), e);
            }
            return write("set config of tool '" + toolName + "' in tool_configs", toolName, h -> {
                int changed = h.createUpdate(HyperpageSql.SET_TOOL_CONFIG).bind("toolName", toolName)
                        .bind("config", text).bind("now", clock.millis()).execute();
                if (changed == 0) {
                    throw new NotFoundException("no tool '" + toolName + "' in tool_configs of " + db.file());
                }
                return changed;
            });
        }

        private ToolConfig write(String what, String toolName, java.util.function.Function<Handle, Integer> work) {
            try {
                var loaded = db.write(what, h -> {
                    work.apply(h);
                    return load(h);
                });
                cache.set(loaded);
                return loaded.get(toolName);
            } catch (RuntimeException e) {
                cache.set(null);
                throw e;
            }
        }

        private static void requireName(String toolName) {
            if (toolName == null || toolName.isBlank()) {
                throw new InvalidArgumentException("tool name is blank");
            }
        }

        @Override
        public boolean delete(String toolName) {
            required(toolName, "tool name");
            var loaded = db.write("delete tool '" + toolName + "' from tool_configs", h -> {
                int n = h.createUpdate(HyperpageSql.DELETE_TOOL_CONFIG).bind("toolName", toolName).execute();
                return n == 0 ? null : load(h);
            });
            if (loaded != null) {
                cache.set(loaded);
            }
            return loaded != null;
        }

        @Override
        public void invalidate() {
            cache.set(null);
        }
    }

    /** Per-platform rate limits. */
    static final class Limits implements RateLimits {
        private final SqliteConnections db;
        private final Clock clock;

        Limits(SqliteConnections db, Clock clock) {
            this.db = db;
            this.clock = clock;
        }

        private static String idOf(String platform) {
            if (platform == null || platform.isBlank()) {
                throw new InvalidArgumentException("platform is blank");
            }
            return platform + ":global";
        }

        private RateLimit map(ResultSet rs) throws SQLException {
            return new RateLimit(rs.getString(1), rs.getString(2), nullableLong(rs, 3), nullableLong(rs, 4),
                    millis(rs, 5), millis(rs, 6), millis(rs, 7));
        }

        @Override
        public Optional<RateLimit> find(String platform) {
            var id = idOf(platform);
            return db.read("find rate limit " + id, h -> h.createQuery(HyperpageSql.FIND_RATE_LIMIT).bind("id", id)
                    .map((rs, ctx) -> map(rs)).findOne());
        }

        @Override
        public List<RateLimit> list() {
            return db.read("list rate_limits", h -> h.createQuery(HyperpageSql.LIST_RATE_LIMITS)
                    .map((rs, ctx) -> map(rs)).list());
        }

        @Override
        public RateLimit update(String platform, Long remaining, Long total, Instant resetTime) {
            var id = idOf(platform);
            if (remaining != null && remaining < 0 || total != null && total < 0) {
                throw new InvalidArgumentException("rate limit of " + platform + " has a negative count: remaining "
                        + remaining + ", total " + total);
            }
            if (remaining != null && total != null && remaining > total) {
                throw new InvalidArgumentException("rate limit of " + platform + ": remaining " + remaining
                        + " exceeds total " + total);
            }
            return db.write("save rate limit " + id + " in rate_limits", h -> {
                h.createUpdate(HyperpageSql.UPSERT_RATE_LIMIT).bind("id", id).bind("platform", platform)
                        .bind("remaining", remaining).bind("total", total).bind("resetTime", toMillis(resetTime))
                        .bind("now", clock.millis()).execute();
                return h.createQuery(HyperpageSql.FIND_RATE_LIMIT).bind("id", id).map((rs, ctx) -> map(rs)).one();
            });
        }

        @Override
        public boolean delete(String platform) {
            var id = idOf(platform);
            return db.write("delete rate limit " + id, h ->
                    h.createUpdate(HyperpageSql.DELETE_RATE_LIMIT).bind("id", id).execute() > 0);
        }
    }

    /** Key/value app state. */
    static final class State implements AppState {
        private final SqliteConnections db;
        private final Clock clock;

        State(SqliteConnections db, Clock clock) {
            this.db = db;
            this.clock = clock;
        }

        @Override
        public Optional<String> get(String key) {
            required(key, "app_state key");
            return db.read("read app_state key " + key, h -> h.createQuery(HyperpageSql.GET_STATE).bind("key", key)
                    .map((rs, ctx) -> Optional.ofNullable(rs.getString(1))).findOne().flatMap(v -> v));
        }

        @Override
        public Map<String, String> all() {
            return db.read("read app_state", h -> {
                var map = new LinkedHashMap<String, String>();
                h.createQuery(HyperpageSql.ALL_STATE).map((rs, ctx) -> {
                    map.put(rs.getString(1), rs.getString(2));
                    return rs.getString(1);
                }).list();
                return java.util.Collections.unmodifiableMap(map);
            });
        }

        @Override
        public void put(String key, String value) {
            if (key == null || key.isBlank()) {
                throw new InvalidArgumentException("app_state key is blank");
            }
            db.write("set app_state key " + key, h -> h.createUpdate(HyperpageSql.PUT_STATE).bind("key", key)
                    .bind("value", value).bind("now", clock.millis()).execute());
        }

        @Override
        public boolean remove(String key) {
            required(key, "app_state key");
            return db.write("remove app_state key " + key, h ->
                    h.createUpdate(HyperpageSql.REMOVE_STATE).bind("key", key).execute() > 0);
        }
    }
}
