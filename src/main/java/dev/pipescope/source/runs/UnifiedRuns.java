package dev.pipescope.source.runs;

import dev.pipescope.domain.Run;
import dev.pipescope.domain.RunColumns;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunSource;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.domain.Timestamps;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.source.RunReader;
import dev.pipescope.engine.EngineConnections;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * "What ran?" over every run source a file holds, as {@link Run}s: Pipescope's {@code pipeline_runs}
 * (read here) and each other source's runs through its {@link RunReader}. All sources() are read in one
 * read transaction, so they agree in time.
 */
public final class UnifiedRuns {
    private final EngineConnections db;
    private final BooleanSupplier hasRunHistory;
    private final Map<RunSource, RunReader> others;

    /**
     * @param hasRunHistory whether the file holds {@code pipeline_runs} (it may gain it while open)
     * @param others the readers of the other sources() the file holds
     */
    public UnifiedRuns(EngineConnections connections, BooleanSupplier hasRunHistory, List<RunReader> others) {
        this.db = connections;
        this.hasRunHistory = hasRunHistory;
        var readers = new LinkedHashMap<RunSource, RunReader>();
        for (var reader : others) {
            readers.put(reader.source(), reader);
        }
        this.others = Map.copyOf(readers);
    }

    Set<RunSource> sources() {
        var found = EnumSet.noneOf(RunSource.class);
        found.addAll(others.keySet());
        if (hasRunHistory.getAsBoolean()) {
            found.add(RunSource.PIPESCOPE);
        }
        return Set.copyOf(found);
    }

    List<Run> read(RunFilter filter) {
        return db.read("read runs of " + sources(), h -> {
            var runs = new ArrayList<Run>();
            for (var source : sources()) {
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
        var found = source == RunSource.PIPESCOPE ? pipescope(h, filter) : others.get(source).read(h, filter);
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
     * the other sources() first, then Pipescope's own runs streamed (without a Run each) and merged in.
     */
    void columns(RunFilter filter, Consumer<RunColumns> batches) {
        db.read("read runs of " + sources() + " as columns", h -> {
            var others = new ArrayList<Run>();
            for (var source : sources()) {
                if (filter.wants(source) && source != RunSource.PIPESCOPE) {
                    others.addAll(matching(h, source, filter));
                }
            }
            var merger = new RunColumns.StreamMerger(RunColumns.of(others), filter.limit(), batches);
            if (hasRunHistory.getAsBoolean() && filter.wants(RunSource.PIPESCOPE)) {
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
        var what = "read pipeline_runs of " + db.location() + " as columns";
        try {
            var names = pipelineNames(h);
            var statement = db.prepared(h, RunSql.UNIFIED_COLUMNS);
            statement.setLong(1, RunColumns.ABSENT);
            statement.setString(2, filter.from() == null ? RunRows.NO_LOWER_BOUND : Timestamps.format(filter.from()));
            statement.setString(3, filter.to() == null ? RunRows.NO_UPPER_BOUND : Timestamps.format(filter.to()));
            statement.setBoolean(4, filter.statuses().isEmpty());
            statement.setString(5, RunRows.statusesJson(filter.statuses()));
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
                        status = RunRows.parseStatus(rs.getString(3), rs.getString(9));
                    }
                    long start;
                    long end;
                    try {
                        start = Timestamps.parse(packed.substring(0, startBar)).toEpochMilli();
                        end = endBar == startBar + 1 ? RunColumns.ABSENT
                                : Timestamps.parse(packed.substring(startBar + 1, endBar)).toEpochMilli();
                    } catch (CorruptDataException e) {
                        // the row's own id: a '|' inside a timestamp would have shifted the packed one
                        throw new CorruptDataException("pipeline_runs row " + rs.getString(9) + " in " + db.location()
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
            throw db.translate(e, what);
        }
    }

    /** Pipeline names by rowid: a handful of pipelines for up to millions of runs. */
    private record PipelineNames(long[] rowids, String[] names) {
        String of(long rowid) {
            int at = java.util.Arrays.binarySearch(rowids, rowid);
            return at >= 0 ? names[at] : null;
        }
    }

    private PipelineNames pipelineNames(Handle h) throws SQLException {
        var rowids = new ArrayList<Long>();
        var names = new ArrayList<String>();
        try (var rs = db.prepared(h, RunSql.PIPELINE_NAMES_BY_ROWID).executeQuery()) {
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
                .bind("from", filter.from() == null ? RunRows.NO_LOWER_BOUND : Timestamps.format(filter.from()))
                .bind("to", filter.to() == null ? RunRows.NO_UPPER_BOUND : Timestamps.format(filter.to()))
                .bind("anyStatus", statuses.isEmpty())
                .bind("statuses", RunRows.statusesJson(statuses))
                .bind("limit", filter.limit())
                .map((rs, ctx) -> Run.of(RunRows.map(rs), rs.getString(22)))
                .list();
    }
}
