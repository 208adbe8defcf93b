package dev.pipescope.source.etl;

import dev.pipescope.sqlite.SqliteConnections;

import static dev.pipescope.domain.Arguments.required;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.domain.EtlAttempt;
import dev.pipescope.domain.EtlComponent;
import dev.pipescope.domain.EtlComponentLink;
import dev.pipescope.domain.EtlSchedule;
import dev.pipescope.domain.EtlExecution;
import dev.pipescope.domain.EtlExecutionQuery;
import dev.pipescope.domain.EtlJob;
import dev.pipescope.domain.EtlStore;
import dev.pipescope.domain.Timestamps;
import dev.pipescope.error.CorruptDataException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The ETL framework's tables in a SQLite file, read only. etl-core writes naive local times (no zone):
 * they are read in the zone the file was opened with ({@link dev.pipescope.ConnectionSettings#naiveTimeZone()}).
 */
final class SqliteEtlStore implements EtlStore {
    /** SQLAlchemy's SQLite DATETIME text: always six fraction digits, so text order is time order. */
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    private final SqliteConnections db;
    private final ObjectMapper json;

    SqliteEtlStore(SqliteConnections connections, ObjectMapper json) {
        this.db = connections;
        this.json = json;
    }

    /** An instant as etl-core writes it: the local time in {@code zone}, six fraction digits. */
    static String datetime(Instant instant, java.time.ZoneId zone) {
        return instant == null ? null : DATETIME.format(Timestamps.toNaive(instant, zone));
    }

    private static EtlJob mapJob(ResultSet rs) throws SQLException {
        return new EtlJob(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4) != 0, rs.getString(5));
    }

    @Override
    public List<EtlJob> jobs() {
        return db.read("list jobtable", h -> h.createQuery(EtlSql.JOBS).map((rs, ctx) -> mapJob(rs)).list());
    }

    @Override
    public Optional<EtlJob> job(String id) {
        required(id, "ETL job id");
        return db.read("find ETL job " + id, h -> h.createQuery(EtlSql.JOB).bind("id", id)
                .map((rs, ctx) -> mapJob(rs)).findOne());
    }

    @Override
    public List<EtlComponentLink> links(String jobId) {
        required(jobId, "ETL job id");
        return db.read("list component links of ETL job " + jobId, h -> !hasTable(h, "componentlinktable") ? List.of()
                : h.createQuery(EtlSql.LINKS).bind("jobId", jobId).map((rs, ctx) -> new EtlComponentLink(
                        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getInt(7))).list());
    }

    @Override
    public List<EtlSchedule> schedules() {
        return db.read("list ETL schedules", h -> !hasTable(h, "scheduletable") ? List.of()
                : h.createQuery(EtlSql.SCHEDULES).map((rs, ctx) -> {
                    var id = rs.getString(1);
                    return new EtlSchedule(id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getBoolean(7), time(rs.getString(8), "scheduletable", id),
                            time(rs.getString(9), "scheduletable", id));
                }).list());
    }

    private static boolean hasTable(Handle h, String name) {
        return h.createQuery(EtlSql.HAS_TABLE).bind("name", name).mapTo(Boolean.class).one();
    }

    @Override
    public List<EtlComponent> components(String jobId) {
        required(jobId, "ETL job id");
        return db.read("list components of ETL job " + jobId, h -> h.createQuery(EtlSql.COMPONENTS)
                .bind("jobId", jobId).map((rs, ctx) -> {
                    var id = rs.getString(1);
                    try {
                        return new EtlComponent(id, rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), json.readTree(rs.getString(6)));
                    } catch (JsonProcessingException e) {
                        throw new CorruptDataException("componenttable row " + id + " in " + db.file()
                                + " has a payload that is not JSON: " + e.getOriginalMessage(), e);
                    }
                }).list());
    }

    @Override
    public Optional<EtlExecution> execution(String id) {
        required(id, "ETL execution id");
        return db.read("find ETL execution " + id, h -> {
            var rows = h.createQuery(EtlSql.EXECUTION).bind("id", id).map((rs, ctx) -> mapExecution(rs)).list();
            return withAttempts(h, rows).stream().findFirst();
        });
    }

    @Override
    public List<EtlExecution> listExecutions(EtlExecutionQuery query) {
        required(query, "execution query");
        var sql = switch (query.sort()) {
            case NEWEST_FIRST -> EtlSql.EXECUTIONS_NEWEST_FIRST;
            case OLDEST_FIRST -> EtlSql.EXECUTIONS_OLDEST_FIRST;
            case LONGEST_FIRST -> EtlSql.EXECUTIONS_LONGEST_FIRST;
        };
        return db.read("list ETL executions", h -> {
            var rows = h.createQuery(sql).bind("jobId", query.jobId()).bind("status", query.status())
                    .bind("environment", query.environment()).bind("from", datetime(query.from(), db.settings().naiveTimeZone()))
                    .bind("to", datetime(query.to(), db.settings().naiveTimeZone())).bind("limit", query.limit())
                    .map((rs, ctx) -> mapExecution(rs)).list();
            return withAttempts(h, rows);
        });
    }

    private EtlExecution mapExecution(ResultSet rs) throws SQLException {
        var id = rs.getString(1);
        return new EtlExecution(id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                time(rs.getString(6), "executiontable", id), time(rs.getString(7), "executiontable", id), List.of());
    }

    private Instant time(String text, String table, String id) {
        if (text == null) {
            return null;
        }
        try {
            return Timestamps.parseNaive(text, db.settings().naiveTimeZone());
        } catch (CorruptDataException e) {
            throw new CorruptDataException(table + " row " + id + " in " + db.file() + ": " + e.getMessage(), e);
        }
    }

    private List<EtlExecution> withAttempts(Handle h, List<EtlExecution> executions) {
        if (executions.isEmpty()) {
            return executions;
        }
        var ids = json.createArrayNode();
        executions.forEach(e -> ids.add(e.id()));
        Map<String, List<EtlAttempt>> byExecution = new HashMap<>();
        h.createQuery(EtlSql.ATTEMPTS_OF).bind("ids", ids.toString()).map((rs, ctx) -> {
            var id = rs.getString(1);
            return new EtlAttempt(id, rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                    time(rs.getString(6), "executionattempttable", id), time(rs.getString(7), "executionattempttable", id));
        }).forEach(a -> byExecution.computeIfAbsent(a.executionId(), k -> new ArrayList<>()).add(a));
        return executions.stream().map(e -> new EtlExecution(e.id(), e.jobId(), e.environment(), e.status(), e.error(),
                e.startedAt(), e.finishedAt(), byExecution.getOrDefault(e.id(), List.of()))).toList();
    }
}
