package dev.pipescope.source.etl;

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
import dev.pipescope.engine.Dialect;
import dev.pipescope.engine.EngineConnections;
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
 * The ETL framework's tables, read only, in a SQLite file or a PostgreSQL database ({@link EtlSql}: the statements
 * that differ by engine, the rules here once). etl-core writes naive local times (no zone): DATETIME text in SQLite,
 * {@code timestamp without time zone} in PostgreSQL; they are read in the zone the database was opened with
 * ({@link dev.pipescope.ConnectionSettings#naiveTimeZone()}).
 */
final class SqlEtlStore implements EtlStore {
    /** SQLAlchemy's SQLite DATETIME text: always six fraction digits, so text order is time order. */
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    private final EngineConnections db;
    private final EtlSql.Statements sql;
    private final ObjectMapper json;

    SqlEtlStore(EngineConnections connections, ObjectMapper json) {
        this.db = connections;
        this.sql = EtlSql.of(connections.dialect());
        this.json = json;
    }

    /**
     * An instant as etl-core writes it, to bind as a time bound: the local time in {@code zone}, as SQLite's text
     * (six fraction digits) or PostgreSQL's {@code timestamp}; null for null.
     */
    static Object bound(Instant instant, java.time.ZoneId zone, Dialect dialect) {
        if (instant == null) {
            return null;
        }
        var local = Timestamps.toNaive(instant, zone);
        return dialect == Dialect.POSTGRESQL ? local : DATETIME.format(local);
    }

    /**
     * A naive time column as an instant in {@code zone}: SQLite's DATETIME text, PostgreSQL's
     * {@code timestamp without time zone}; null for NULL.
     *
     * @throws CorruptDataException naming the row for SQLite text that is no time
     */
    static Instant naive(ResultSet rs, int column, java.time.ZoneId zone, Dialect dialect, String table, String id,
                         String location) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            var local = rs.getObject(column, java.time.LocalDateTime.class);
            return local == null ? null : local.atZone(zone).toInstant();
        }
        var text = rs.getString(column);
        if (text == null) {
            return null;
        }
        try {
            return Timestamps.parseNaive(text, zone);
        } catch (CorruptDataException e) {
            throw new CorruptDataException(table + " row " + id + " in " + location + ": " + e.getMessage(), e);
        }
    }

    private static EtlJob mapJob(ResultSet rs) throws SQLException {
        return new EtlJob(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBoolean(4), rs.getString(5));
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
                            rs.getString(6), rs.getBoolean(7), time(rs, 8, "scheduletable", id),
                            time(rs, 9, "scheduletable", id));
                }).list());
    }

    private boolean hasTable(Handle h, String name) {
        return h.createQuery(sql.hasTable()).bind("name", name).mapTo(Boolean.class).one();
    }

    @Override
    public List<EtlComponent> components(String jobId) {
        required(jobId, "ETL job id");
        return db.read("list components of ETL job " + jobId, h -> h.createQuery(sql.components())
                .bind("jobId", jobId).map((rs, ctx) -> {
                    var id = rs.getString(1);
                    try {
                        return new EtlComponent(id, rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), json.readTree(rs.getString(6)));
                    } catch (JsonProcessingException e) {
                        throw new CorruptDataException("componenttable row " + id + " in " + db.location()
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
        var listing = switch (query.sort()) {
            case NEWEST_FIRST -> sql.newestFirst();
            case OLDEST_FIRST -> sql.oldestFirst();
            case LONGEST_FIRST -> sql.longestFirst();
        };
        var zone = db.settings().naiveTimeZone();
        return db.read("list ETL executions", h -> {
            var rows = h.createQuery(listing).bind("jobId", query.jobId()).bind("status", query.status())
                    .bind("environment", query.environment()).bind("from", bound(query.from(), zone, db.dialect()))
                    .bind("to", bound(query.to(), zone, db.dialect())).bind("limit", query.limit())
                    .map((rs, ctx) -> mapExecution(rs)).list();
            return withAttempts(h, rows);
        });
    }

    private EtlExecution mapExecution(ResultSet rs) throws SQLException {
        var id = rs.getString(1);
        return new EtlExecution(id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                time(rs, 6, "executiontable", id), time(rs, 7, "executiontable", id), List.of());
    }

    private Instant time(ResultSet rs, int column, String table, String id) throws SQLException {
        return naive(rs, column, db.settings().naiveTimeZone(), db.dialect(), table, id, db.location());
    }

    private List<EtlExecution> withAttempts(Handle h, List<EtlExecution> executions) {
        if (executions.isEmpty()) {
            return executions;
        }
        var query = h.createQuery(sql.attemptsOf());
        if (db.dialect() == Dialect.POSTGRESQL) {
            query.bindArray("ids", String.class, executions.stream().map(EtlExecution::id).toList());
        } else {
            var ids = json.createArrayNode();
            executions.forEach(e -> ids.add(e.id()));
            query.bind("ids", ids.toString());
        }
        Map<String, List<EtlAttempt>> byExecution = new HashMap<>();
        query.map((rs, ctx) -> {
            var id = rs.getString(1);
            return new EtlAttempt(id, rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                    time(rs, 6, "executionattempttable", id), time(rs, 7, "executionattempttable", id));
        }).forEach(a -> byExecution.computeIfAbsent(a.executionId(), k -> new ArrayList<>()).add(a));
        return executions.stream().map(e -> new EtlExecution(e.id(), e.jobId(), e.environment(), e.status(), e.error(),
                e.startedAt(), e.finishedAt(), byExecution.getOrDefault(e.id(), List.of()))).toList();
    }
}
