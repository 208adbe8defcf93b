package dev.pipescope.notebook;

import dev.pipescope.domain.Job;
import dev.pipescope.domain.JobStatus;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.PipelineRun;
import dev.pipescope.domain.RunColumns;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunQuery;
import dev.pipescope.domain.RunSource;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.NotFoundException;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The analyst's questions over the runs of every tool in the file: runs and statistics of a time window,
 * two periods compared, significant regressions, rankings, what ran alongside a run, and stale work.
 * Time windows ending "now" end at the newest run in the file, not at the clock: a copy of last month's
 * database answers "the last 7 days" as it would have then. Only stale work is judged against the clock.
 */
final class AnalysisTables {

    /** How many windows of the recent length regressions() takes as the baseline before it. */
    static final int BASELINE_WINDOWS = 4;

    private final CurrentDatabase current;
    private final Clock clock;

    AnalysisTables(CurrentDatabase current, Clock clock) {
        this.current = current;
        this.clock = clock;
    }

    /**
     * The last {@code length} of data: the window that ends just after the newest run's time.
     *
     * @throws NotFoundException when the file holds no run with a time
     */
    TimeWindow lastOfData(Duration length) {
        TimeWindow.requirePositive(length, "window length");
        RunColumns newest = current.db().runs().unifiedColumns(RunFilter.everything().limit(1));
        Instant time = newest.size() == 0 ? null : newest.start(0).or(() -> newest.end(0)).orElse(null);
        if (time == null) {
            throw new NotFoundException(current.where() + " holds no run with a time, so it has no 'last "
                    + TimeWindow.words(length) + "' (runs from: " + current.db().runs().sources() + ")");
        }
        Instant end = time.plusMillis(1);
        return new TimeWindow(end.minus(length), end, "last " + TimeWindow.words(length) + " of data");
    }

    /** Every run of every tool whose time is in {@code window}, newest first; the title names the window. */
    Table runs(TimeWindow window) {
        var repository = current.db().runs();
        RunFilter filter = RunFilter.everything().between(window.from(), window.to());
        Table table = RunColumnsTable.read("runs", batches -> repository.unifiedColumns(filter, batches));
        return table.setName("runs in " + window + " (" + Captions.count(table.rowCount()) + ")");
    }

    /** Statistics per source and pipeline of the runs in {@code window}. */
    Table stats(TimeWindow window) {
        return Comparisons.stats("stats of " + window, runs(window));
    }

    Table compare(TimeWindow a, TimeWindow b) {
        return Comparisons.compare(runs(a), a, runs(b), b);
    }

    /** The last {@code recent} of data against the {@value #BASELINE_WINDOWS} windows as long before it. */
    Table regressions(Duration recent) {
        TimeWindow window = lastOfData(recent);
        Duration baselineLength = recent.multipliedBy(BASELINE_WINDOWS);
        TimeWindow baseline = new TimeWindow(window.from().minus(baselineLength), window.from(),
                "the " + TimeWindow.words(baselineLength) + " before");
        return regressions(baseline, window);
    }

    Table regressions(TimeWindow baseline, TimeWindow recent) {
        return Regressions.find(runs(baseline), baseline, runs(recent), recent);
    }

    /** The {@code n} runs of any tool with the longest (or shortest) duration; runs without one come last. */
    Table ranked(int n, boolean slowest) {
        Table all = RunColumnsTable.read("runs", batches -> current.db().runs().unifiedColumns(RunFilter.everything(),
                batches));
        return Rankings.top(all.setName("every run"), "duration_ms", n, slowest)
                .setName((slowest ? "slowest " : "fastest ") + n + " of " + Captions.count(all.rowCount()) + " runs");
    }

    /**
     * The runs of any tool whose time span overlaps run {@code runId}'s, the run itself first, with how long
     * each overlapped it. A run still going spans to the newest time in the file; a run with only an end
     * time (dagger nodes) spans its duration before it, or is an instant.
     *
     * @throws NotFoundException when no run has that id
     * @throws InvalidArgumentException when runs of several tools have that id, naming them
     */
    Table concurrent(String runId) {
        if (runId == null || runId.isBlank()) {
            throw new InvalidArgumentException("concurrent(runId) needs a run id, got '" + runId + "'");
        }
        Table all = RunColumnsTable.read("runs", batches -> current.db().runs().unifiedColumns(RunFilter.everything(),
                batches));
        Column<?> ids = all.column("id");
        List<Integer> matches = new ArrayList<>();
        for (int row = 0; row < all.rowCount(); row++) {
            if (runId.equals(ids.getString(row))) {
                matches.add(row);
            }
        }
        if (matches.isEmpty()) {
            throw new NotFoundException("no run of any tool in " + current.where() + " has id '" + runId
                    + "' (ids are in the id column of runs())");
        }
        if (matches.size() > 1) {
            List<String> sources = matches.stream().map(r -> all.stringColumn("source").get(r)).toList();
            throw new InvalidArgumentException("run id '" + runId + "' belongs to runs of " + sources
                    + "; filter runs() by source and compare the time columns instead");
        }
        long[][] spans = spans(all);
        int self = matches.get(0);
        long from = spans[0][self];
        long to = spans[1][self];
        if (from == Long.MIN_VALUE) {
            throw new InvalidArgumentException("run '" + runId + "' has no time, so nothing can overlap it");
        }
        List<Integer> rows = new ArrayList<>();
        rows.add(self);
        for (int row = 0; row < all.rowCount(); row++) {
            if (row != self && spans[0][row] != Long.MIN_VALUE && spans[0][row] <= to && spans[1][row] >= from) {
                rows.add(row);
            }
        }
        Table result = all.rows(rows.stream().mapToInt(Integer::intValue).toArray());
        LongColumn overlap = LongColumn.create("overlap_ms");
        for (int row : rows) {
            overlap.append(Math.min(to, spans[1][row]) - Math.max(from, spans[0][row]));
        }
        result.insertColumn(3, overlap);
        String name = all.column("pipeline").isMissing(self) ? "" : " (" + all.stringColumn("pipeline").get(self) + ")";
        return result.setName("runs overlapping " + runId + name + ", " + Formats.TIME.format(Instant.ofEpochMilli(from))
                + " – " + Formats.TIME.format(Instant.ofEpochMilli(to)) + ": the run and " + (rows.size() - 1) + " others");
    }

    /** Each row's span [from, to] in epoch ms; from is Long.MIN_VALUE for a row without a time. */
    private static long[][] spans(Table runs) {
        InstantColumn started = runs.instantColumn("started_at");
        InstantColumn finished = runs.instantColumn("finished_at");
        Column<?> duration = runs.column("duration_ms");
        long newest = Long.MIN_VALUE;
        for (int row = 0; row < runs.rowCount(); row++) {
            if (!started.isMissing(row)) {
                newest = Math.max(newest, started.get(row).toEpochMilli());
            }
            if (!finished.isMissing(row)) {
                newest = Math.max(newest, finished.get(row).toEpochMilli());
            }
        }
        long[][] spans = new long[2][runs.rowCount()];
        for (int row = 0; row < runs.rowCount(); row++) {
            Long start = started.isMissing(row) ? null : started.get(row).toEpochMilli();
            Long end = finished.isMissing(row) ? null : finished.get(row).toEpochMilli();
            if (start == null && end != null) {
                start = duration.isMissing(row) ? end : end - runs.longColumn("duration_ms").get(row);
            }
            if (start == null) {
                spans[0][row] = Long.MIN_VALUE;
                continue;
            }
            spans[0][row] = start;
            spans[1][row] = end != null ? end : Math.max(start, newest);
        }
        return spans;
    }

    /** One running piece of work that has not been heard of for a while. */
    private record StaleWork(String source, String pipeline, String id, Instant startedAt, Instant lastHeardAt,
                             String judgedBy, Long runningForMs, Long silentForMs, int attempts) {
    }

    /**
     * Work still marked running in any tool and not heard of for at least {@code age} by the clock: Pipescope
     * runs and Hyperpage jobs by their last write ({@code updated_at}, their heartbeat), ETL executions (which
     * keep no heartbeat) by their start. Longest silent first; work marked running without any time is
     * listed last (its age cannot be told, and it is running all the same).
     */
    Table stale(Duration age) {
        if (age == null || age.isNegative()) {
            throw new InvalidArgumentException("stale age must be 0 or more, was " + age);
        }
        Instant now = clock.instant();
        var db = current.db();
        List<StaleWork> found = new ArrayList<>();
        if (current.has(Layout.RUN_HISTORY)) {
            Map<String, String> names = new HashMap<>();
            for (PipelineRun run : db.runs().list(RunQuery.all().status(RunStatus.RUNNING).page(0, Integer.MAX_VALUE))) {
                String name = names.computeIfAbsent(run.pipelineId(), id -> db.pipelines().findById(id)
                        .map(p -> p.name()).orElse(id));
                add(found, now, age, "pipescope", name, run.id(), run.startedAt(), run.updatedAt(), "updated_at", run.attempt());
            }
        }
        if (current.has(Layout.HYPERPAGE)) {
            for (Job job : db.hyperpage().jobs().list(Integer.MAX_VALUE, JobStatus.RUNNING)) {
                Instant heard = job.updatedAt() != null ? job.updatedAt() : job.startedAt();
                add(found, now, age, "hyperpage", job.name(), job.id(), job.startedAt(), heard,
                        job.updatedAt() != null ? "updated_at" : "started_at", job.retryCount() + 1);
            }
        }
        RunColumns others = db.runs().unifiedColumns(RunFilter.everything().status(RunStatus.RUNNING)
                .source(otherSources()));
        for (int i = 0; i < others.size(); i++) {
            Instant start = others.start(i).orElse(null);
            add(found, now, age, others.source(i).name().toLowerCase(Locale.ROOT), others.name(i), others.id(i),
                    start, start, "started_at (no heartbeat)", others.attempts(i));
        }
        found.sort(Comparator.comparing(StaleWork::silentForMs, Comparator.nullsLast(Comparator.reverseOrder())));
        return new TableBuilder<StaleWork>("running and not heard of for " + TimeWindow.words(age) + " or more at "
                + Formats.TIME.format(now) + " (clock): " + found.size())
                .string("source", StaleWork::source)
                .string("pipeline", StaleWork::pipeline)
                .longs("running_for_ms", StaleWork::runningForMs)
                .longs("silent_for_ms", StaleWork::silentForMs)
                .instant("started_at", StaleWork::startedAt)
                .instant("last_heard_at", StaleWork::lastHeardAt)
                .string("judged_by", StaleWork::judgedBy)
                .ints("attempts", StaleWork::attempts)
                .string("id", StaleWork::id)
                .build(found);
    }

    /** The sources without a heartbeat of their own here: every one but Pipescope's and Hyperpage's. */
    private static RunSource[] otherSources() {
        return java.util.Arrays.stream(RunSource.values())
                .filter(s -> s != RunSource.PIPESCOPE && s != RunSource.HYPERPAGE).toArray(RunSource[]::new);
    }

    private static void add(List<StaleWork> found, Instant now, Duration age, String source, String name, String id,
                            Instant start, Instant heard, String judgedBy, int attempts) {
        if (heard == null) {
            found.add(new StaleWork(source, name, id, start, null, "no time recorded", null, null, attempts));
            return;
        }
        if (Duration.between(heard, now).compareTo(age) < 0) {
            return;
        }
        found.add(new StaleWork(source, name, id, start, heard, judgedBy,
                Duration.between(start == null ? heard : start, now).toMillis(), Duration.between(heard, now).toMillis(),
                attempts));
    }
}
