package dev.pipescope.store.sqlite;

import dev.pipescope.store.codec.Blobs;
import java.time.ZoneOffset;

import dev.pipescope.domain.Job;
import dev.pipescope.domain.JobAttempt;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.Run;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunSource;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.domain.Timestamps;
import dev.pipescope.error.CorruptDataException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
                if (!filter.wants(source)) {
                    continue;
                }
                var found = switch (source) {
                    case PIPESCOPE -> pipescope(h, filter);
                    case HYPERPAGE -> hyperpage(h);
                    case ETL -> etl(h, filter);
                    case DAGGER -> dagger(h);
                };
                found.stream().filter(filter::matches).limit(filter.limit()).forEach(runs::add);
            }
            runs.sort(Comparator.comparing((Run r) -> r.time().orElse(null),
                    Comparator.nullsLast(Comparator.reverseOrder())));
            return runs.size() > filter.limit() ? List.copyOf(runs.subList(0, filter.limit())) : List.copyOf(runs);
        });
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
