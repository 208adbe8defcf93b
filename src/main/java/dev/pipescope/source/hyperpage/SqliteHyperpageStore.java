package dev.pipescope.source.hyperpage;

import dev.pipescope.sqlite.SqliteConnections;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.domain.AppState;
import dev.pipescope.domain.HyperpageStore;
import dev.pipescope.domain.Job;
import dev.pipescope.domain.JobAttempt;
import dev.pipescope.domain.JobRepository;
import dev.pipescope.domain.JobStatus;
import dev.pipescope.domain.RateLimits;
import dev.pipescope.domain.ToolConfigs;
import dev.pipescope.error.CorruptDataException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;

/** Hyperpage's tables in a SQLite file. */
final class SqliteHyperpageStore implements HyperpageStore {
    private final SqliteJobRepository jobs;
    private final SqliteToolConfigs configs;
    private final SqliteRateLimits limits;
    private final SqliteAppState state;

    SqliteHyperpageStore(SqliteConnections connections, Clock clock, ObjectMapper json) {
        this.jobs = new SqliteJobRepository(connections, clock, json);
        this.configs = new SqliteToolConfigs(connections, clock, json);
        this.limits = new SqliteRateLimits(connections, clock);
        this.state = new SqliteAppState(connections, clock);
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
        return new Job(id, rs.getString(2), rs.getString(3), rs.getInt(4), status, JobTools.name(rs.getString(6)), rs.getString(6),
                rs.getString(7),
                rs.getString(8), rs.getString(9), millis(rs, 10), millis(rs, 11), millis(rs, 12), millis(rs, 13),
                rs.getInt(14), millis(rs, 15), rs.getInt(16), null, null);
    }

    /** Maps a row selected with {@link HyperpageSql#HISTORY_COLUMNS}. */
    static JobAttempt mapAttempt(ResultSet rs, String file) throws SQLException {
        long id = rs.getLong(1);
        var status = JobStatus.parse(rs.getString(4)).orElseThrow(() -> new CorruptDataException(
                "job_history row " + id + " in " + file + " has a status Hyperpage never writes"));
        return new JobAttempt(id, rs.getString(2), rs.getInt(3), status, millis(rs, 5), millis(rs, 6),
                nullableLong(rs, 7), rs.getString(8));
    }

}
