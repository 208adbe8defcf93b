package dev.pipescope.store.sqlite;

import dev.pipescope.store.codec.Blobs;
import java.time.ZoneOffset;

import dev.pipescope.domain.Job;
import dev.pipescope.domain.JobAttempt;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.Run;
import dev.pipescope.domain.RunColumns;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunSource;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.domain.Timestamps;
import dev.pipescope.error.CorruptDataException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * "What ran?" over every run source a file holds, as {@link Run}s: Pipescope's {@code pipeline_runs},
 * Hyperpage's jobs with their history, ETL executions with their attempts, and the node outcomes in
 * dagger's execution trees. All sources are read in one read transaction, so they agree in time.
 */
final class SqliteUnifiedRuns {
    private final SqliteConnections db;
    private final Set<RunSource> sources;

    SqliteUnifiedRuns(SqliteConnections connections, Set<Layout> kinds) {
        this.db = connections;
        var found = EnumSet.noneOf(RunSource.class);
        for (var source : RunSource.values()) {
            if (kinds.contains(source.layout())) {
                found.add(source);
            }
        }
        this.sources = Set.copyOf(found);
    }

    Set<RunSource> sources() {
        return sources;
    }

    List<Run> read(RunFilter filter) {
        return db.read("read runs of " + sources, h -> {
            var runs = new ArrayList<Run>();
            for (var source : sources) {
                if (filter.wants(source)) {
                    runs.addAll(matching(h, source, filter));
                }
            }
            runs.sort(Run.NEWEST_FIRST);
            return runs.size() > filter.limit() ? List.copyOf(runs.subList(0, filter.limit())) : List.copyOf(runs);
        });
    }

    /** The runs of one source that the filter accepts, up to its limit. */
    private List<Run> matching(Handle h, RunSource source, RunFilter filter) {
        var found = switch (source) {
            case PIPESCOPE -> pipescope(h, filter);
            case HYPERPAGE -> hyperpage(h);
            case ETL -> etl(h, filter);
            case DAGGER -> dagger(h);
        };
        return found.stream().filter(filter::matches).limit(filter.limit()).toList();
    }

    /** Rows per batch handed on by {@link #columns(RunFilter, Consumer)}. */
    static final int BATCH_ROWS = 65_536;

    /** The same runs as {@link #read}, column by column. */
    RunColumns columns(RunFilter filter) {
        var batches = new ArrayList<RunColumns>();
        columns(filter, batches::add);
        return RunColumns.concat(batches);
    }

    /**
     * The same runs as {@link #read}, handed on in batches as they are read, in one read transaction:
     * the other sources first, then Pipescope's own runs streamed (without a Run each) and merged in.
     */
    void columns(RunFilter filter, Consumer<RunColumns> batches) {
        db.read("read runs of " + sources + " as columns", h -> {
            var others = new ArrayList<Run>();
            for (var source : sources) {
                if (filter.wants(source) && source != RunSource.PIPESCOPE) {
                    others.addAll(matching(h, source, filter));
                }
            }
            var merger = new RunColumns.StreamMerger(RunColumns.of(others), filter.limit(), batches);
            if (sources.contains(RunSource.PIPESCOPE) && filter.wants(RunSource.PIPESCOPE)) {
                pipescopeColumns(h, filter, merger);
            }
            merger.finish();
            return null;
        });
    }

    /** By the status code of {@link RunSql#UNIFIED_COLUMNS}; 0 is a word to judge from the text. */
    private static final RunStatus[] STATUS_BY_CODE = {null, RunStatus.RUNNING, RunStatus.SUCCEEDED,
            RunStatus.FAILED, RunStatus.CANCELLED};

    private void pipescopeColumns(Handle h, RunFilter filter, RunColumns.StreamMerger merger) {
        var what = "read pipeline_runs of " + db.file() + " as columns";
        try {
            var names = pipelineNames(h);
            var statement = SqliteConnections.prepared(h, RunSql.UNIFIED_COLUMNS);
            statement.setLong(1, RunColumns.ABSENT);
            statement.setString(2, filter.from() == null ? SqliteRunRepository.NO_LOWER_BOUND : Timestamps.format(filter.from()));
            statement.setString(3, filter.to() == null ? SqliteRunRepository.NO_UPPER_BOUND : Timestamps.format(filter.to()));
            statement.setBoolean(4, filter.statuses().isEmpty());
            statement.setString(5, SqliteRunRepository.statusesJson(filter.statuses()));
            statement.setInt(6, filter.limit());
            var columns = new RunColumns.Builder(Math.min(filter.limit(), BATCH_ROWS));
            try (var rs = statement.executeQuery()) {
                while (merger.wantsMore() && rs.next()) {
                    var packed = rs.getString(1);
                    int startBar = packed.indexOf('|');
                    int endBar = packed.indexOf('|', startBar + 1);
                    var id = packed.substring(endBar + 1);
                    long pipelineAndStatus = rs.getLong(2);
                    var status = STATUS_BY_CODE[(int) (pipelineAndStatus & 7)];
                    if (status == null) {
                        status = SqliteRunRepository.parseStatus(rs.getString(3), rs.getString(9));
                    }
                    long start;
                    long end;
                    try {
                        start = Timestamps.parse(packed.substring(0, startBar)).toEpochMilli();
                        end = endBar == startBar + 1 ? RunColumns.ABSENT
                                : Timestamps.parse(packed.substring(startBar + 1, endBar)).toEpochMilli();
                    } catch (CorruptDataException e) {
                        // the row's own id: a '|' inside a timestamp would have shifted the packed one
                        throw new CorruptDataException("pipeline_runs row " + rs.getString(9) + " in " + db.file()
                                + ": " + e.getMessage(), e);
                    }
                    columns.add(RunSource.PIPESCOPE, id, names.of(pipelineAndStatus >> 3), status, start, end,
                            rs.getLong(5), rs.getInt(4), rs.getLong(6), rs.getDouble(7), rs.getString(8));
                    if (columns.size() == BATCH_ROWS) {
                        merger.push(columns.build());
                        columns = new RunColumns.Builder(BATCH_ROWS);
                    }
                }
            }
            merger.push(columns.build());
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, db.file(), what);
        }
    }

    /** Pipeline names by rowid: a handful of pipelines for up to millions of runs. */
    private record PipelineNames(long[] rowids, String[] names) {
        String of(long rowid) {
            int at = java.util.Arrays.binarySearch(rowids, rowid);
            return at >= 0 ? names[at] : null;
        }
    }

    private static PipelineNames pipelineNames(Handle h) throws SQLException {
        var rowids = new ArrayList<Long>();
        var names = new ArrayList<String>();
        try (var rs = SqliteConnections.prepared(h, RunSql.PIPELINE_NAMES_BY_ROWID).executeQuery()) {
            while (rs.next()) {
                rowids.add(rs.getLong(1));
                names.add(rs.getString(2));
            }
        }
        return new PipelineNames(rowids.stream().mapToLong(Long::longValue).toArray(), names.toArray(String[]::new));
    }

    private List<Run> pipescope(Handle h, RunFilter filter) {
        var statuses = EnumSet.noneOf(RunStatus.class);
        statuses.addAll(filter.statuses());
        return h.createQuery(RunSql.UNIFIED)
                .bind("from", filter.from() == null ? SqliteRunRepository.NO_LOWER_BOUND : Timestamps.format(filter.from()))
                .bind("to", filter.to() == null ? SqliteRunRepository.NO_UPPER_BOUND : Timestamps.format(filter.to()))
                .bind("anyStatus", statuses.isEmpty())
                .bind("statuses", SqliteRunRepository.statusesJson(statuses))
                .bind("limit", filter.limit())
                .map((rs, ctx) -> Run.of(SqliteRunRepository.map(rs), rs.getString(22)))
                .list();
    }

    private List<Run> hyperpage(Handle h) {
        var history = new HashMap<String, List<JobAttempt>>();
        h.createQuery(HyperpageSql.ALL_HISTORY).map((rs, ctx) -> SqliteHyperpageStore.mapAttempt(rs, db.file()))
                .forEach(a -> history.computeIfAbsent(a.jobId(), k -> new ArrayList<>()).add(a));
        return h.createQuery(HyperpageSql.ALL_JOBS).map((rs, ctx) -> SqliteHyperpageStore.mapJob(rs, db.file()))
                .list().stream().map(job -> hyperpageRun(job, history.getOrDefault(job.id(), List.of()))).toList();
    }

    /** Attempts: the history rows when Hyperpage's log has them, else what the job's counters say. */
    private static Run hyperpageRun(Job job, List<JobAttempt> attempts) {
        int counted = job.retryCount() + job.recoveryAttempts() + (job.startedAt() != null ? 1 : 0);
        String error = null;
        for (var attempt : attempts) {
            if (attempt.errorMessage() != null) {
                error = attempt.errorMessage();
            }
        }
        var measures = new LinkedHashMap<String, Double>();
        measures.put("priority", (double) job.priority());
        measures.put("retry_count", (double) job.retryCount());
        measures.put("recovery_attempts", (double) job.recoveryAttempts());
        var duration = job.startedAt() == null || job.completedAt() == null ? null
                : Duration.between(job.startedAt(), job.completedAt());
        return new Run(RunSource.HYPERPAGE, job.id(), job.type(), job.name(), job.status().toRunStatus(),
                job.status().dbValue(), job.startedAt(), job.completedAt(), duration,
                Math.max(counted, attempts.size()), error, measures);
    }

    private List<Run> etl(Handle h, RunFilter filter) {
        return h.createQuery(EtlSql.UNIFIED).bind("from", SqliteEtlStore.datetime(filter.from()))
                .bind("to", SqliteEtlStore.datetime(filter.to())).map((rs, ctx) -> {
                    var id = rs.getString(1);
                    var status = rs.getString(4);
                    var start = etlTime(rs.getString(6), id);
                    var end = etlTime(rs.getString(7), id);
                    var unified = switch (status == null ? "" : status) {
                        case "RUNNING" -> RunStatus.RUNNING;
                        case "SUCCESS" -> RunStatus.SUCCEEDED;
                        case "FAILED" -> RunStatus.FAILED;
                        default -> throw new CorruptDataException("executiontable row " + id + " in " + db.file()
                                + " has status '" + status + "'; the ETL framework writes RUNNING, SUCCESS or FAILED");
                    };
                    var name = rs.getString(8) == null ? rs.getString(2) : rs.getString(8);
                    return new Run(RunSource.ETL, id, rs.getString(2), name, unified, status, start, end,
                            start == null || end == null ? null : Duration.between(start, end),
                            Math.max(1, rs.getInt(9)), rs.getString(5), Map.of());
                }).list();
    }

    private Instant etlTime(String text, String id) {
        try {
            return Timestamps.parseNullable(text);
        } catch (CorruptDataException e) {
            throw new CorruptDataException("executiontable row " + id + " in " + db.file() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Node outcomes from dagger's trees. A tree holds one time per node, when its outcome was recorded:
     * it becomes the run's end; start and duration stay unknown.
     */
    private List<Run> dagger(Handle h) {
        var runs = new ArrayList<Run>();
        h.createQuery(DaggerRunSql.TREES).map((rs, ctx) -> Map.entry(rs.getString(1), rs.getBytes(2)))
                .forEach(tree -> runs.addAll(daggerTree(tree.getKey(), tree.getValue())));
        return runs;
    }

    List<Run> daggerTree(String dagId, byte[] compressed) {
        var where = "execution_trees row '" + dagId + "' in " + db.file();
        // the DAG store's decoder: the same format rules, and bounded however large the blob claims to be
        var tree = DaggerFormat.decodeTree(compressed == null ? new byte[0] : compressed,
                Blobs.DEFAULT_MAX_DECODED_BYTES, where);
        var runs = new ArrayList<Run>();
        for (var node : tree.nodes()) {
            var retries = node.retryMessages();
            var error = node.finalError().orElse(null);
            if (!node.success() && error == null && !retries.isEmpty()) {
                error = retries.get(retries.size() - 1);
            }
            var id = dagId + "/" + node.nodeId();
            runs.add(new Run(RunSource.DAGGER, id, dagId, id, node.success() ? RunStatus.SUCCEEDED : RunStatus.FAILED,
                    node.success() ? "success" : "failure", null, node.timestamp().toInstant(ZoneOffset.UTC), null,
                    retries.size() + 1, error, Map.of("retries", (double) retries.size())));
        }
        return runs;
    }
}
