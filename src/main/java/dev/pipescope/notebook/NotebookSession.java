package dev.pipescope.notebook;

import dev.pipescope.DatabaseConfig;
import dev.pipescope.DatabaseLocation;
import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.domain.DagSummary;
import dev.pipescope.domain.EtlExecutionQuery;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunQuery;
import dev.pipescope.error.InvalidArgumentException;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state behind the notebook helpers: the current database and display settings. One per kernel
 * (or jshell) session; the helpers ({@link Helpers}) delegate to it, and it delegates each table to the
 * builder of the tool whose state it shows.
 *
 * <p>{@link #open(Path)} opens a file read-write only if Pipescope made it (its layouts include
 * {@link Layout#PIPESCOPE}); any other tool's file is opened read-only, so looking never changes it.
 */
public final class NotebookSession implements AutoCloseable {

    private final CurrentDatabase current = new CurrentDatabase();
    private final PipelineTables pipelines = new PipelineTables(current);
    private final RunTables runs = new RunTables(current, pipelines);
    private final DaggerTables dagger = new DaggerTables(current);
    private final HyperpageTables hyperpage = new HyperpageTables(current);
    private final EtlTables etl = new EtlTables(current);
    private final Diagrams diagrams = new Diagrams(dagger, pipelines, etl, current);
    private final AnalysisTables analysis;
    /** Where aliases, {@code PIPESCOPE_DB} and credentials are read (the process's, or a test's or a kernel's). */
    private final Map<String, String> environment;
    private int maxRows = TableRenderer.DEFAULT_MAX_ROWS;

    public NotebookSession() {
        this(System.getenv(), Clock.systemUTC());
    }

    /** A session whose stale-work checks read {@code clock} (tests pin it). */
    NotebookSession(Clock clock) {
        this(System.getenv(), clock);
    }

    /** A session that resolves names with {@code environment}'s aliases and credentials. */
    NotebookSession(Map<String, String> environment, Clock clock) {
        this.environment = Map.copyOf(environment);
        analysis = new AnalysisTables(current, clock);
    }

    /**
     * A session on {@code PIPESCOPE_DB} if set (an alias, a URL or a path, resolved with {@code environment}'s
     * aliases and credentials), else with no database yet.
     */
    public static NotebookSession fromEnvironment(Map<String, String> environment) {
        NotebookSession session = new NotebookSession(environment, Clock.systemUTC());
        session.openEnvironmentDatabase();
        return session;
    }

    public static NotebookSession fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Makes {@code session} the one the static {@link Helpers} delegate to, and returns it: plain jshell's
     * startup declares {@code NotebookSession pipescope = NotebookSession.forHelpers(NotebookSession.fromEnvironment());}.
     */
    public static NotebookSession forHelpers(NotebookSession session) {
        return Helpers.bind(java.util.Objects.requireNonNull(session, "session"));
    }

    /**
     * Opens {@code PIPESCOPE_DB} (an alias, a URL or a path) if the environment names one. A database that
     * cannot be opened, or a name that does not resolve, is not an error here (the kernel must still start);
     * the first helper that needs the database reports why.
     */
    void openEnvironmentDatabase() {
        String name = environment.get("PIPESCOPE_DB");
        if (name != null && !name.isBlank()) {
            try {
                DatabaseLocation where = config().resolve(name);
                current.use(CurrentDatabase.openByOwner(where), Optional.of(where));
            } catch (RuntimeException e) {
                current.failedToOpen(e);
            }
        }
    }

    /**
     * The aliases and credentials of this session's environment, read afresh (an edited config file applies to
     * the next {@link #open(String)}).
     */
    public DatabaseConfig config() {
        return DatabaseConfig.of(environment);
    }

    // ---- current database ----

    /** Opens {@code path} (read-write only if Pipescope created it), makes it current and describes it. */
    public String open(Path path) {
        return use(CurrentDatabase.openByOwner(path));
    }

    /** Opens {@code path} read-only, makes it current and describes it. */
    public String openReadOnly(Path path) {
        return use(Pipescope.openReadOnly(path));
    }

    /**
     * Opens the database an alias, a server URL or a file path names ({@link DatabaseConfig#resolve}), read-write
     * only if Pipescope created it, makes it current and describes it.
     *
     * <pre>{@code
     * open("prod");                              // an alias of ~/.config/pipescope/pipescope.properties
     * open("postgresql://analyst@db/fleet");     // password from PGPASSWORD or ~/.pgpass
     * open("/data/adaptive_pipeline.db");        // a SQLite file
     * }</pre>
     *
     * @throws dev.pipescope.error.UnknownAliasException for a name that is no alias and no file (it lists the aliases)
     * @throws dev.pipescope.error.ConfigException       for a malformed, unreadable or insecure configuration
     */
    public String open(String database) {
        DatabaseLocation where = config().resolve(database);
        current.use(CurrentDatabase.openByOwner(where), Optional.of(where));
        return describe();
    }

    /** As {@link #open(String)}, read-only whoever made the database. */
    public String openReadOnly(String database) {
        DatabaseLocation where = config().resolve(database);
        current.use(Pipescope.openReadOnly(where), Optional.of(where));
        return describe();
    }

    /** Makes an already open database current; the session closes it when it is replaced or closed. */
    public String use(PipescopeDatabase database) {
        current.use(database);
        return describe();
    }

    /**
     * The current database, for the full library API.
     *
     * @throws InvalidArgumentException when none is open, saying how to open one
     */
    public PipescopeDatabase db() {
        return current.db();
    }

    public Optional<PipescopeDatabase> current() {
        return current.current();
    }

    /** What the current database holds: where it is, its layouts and how many rows the main tables have. */
    public String describe() {
        PipescopeDatabase d = db();
        StringBuilder out = new StringBuilder();
        out.append(current.name()).append(d.readOnly() ? " (read-only)" : " (read-write)")
                .append('\n').append("holds: ");
        out.append(String.join(", ", d.layouts().stream().sorted().map(k -> k.name() + " — " + k.description()).toList()))
                .append('\n');
        Map<String, Long> counts = new LinkedHashMap<>();
        if (current.has(Layout.ADAPTIVE_PIPELINE)) {
            counts.put("pipelines", (long) d.pipelines().listIncludingArchived().size());
            counts.put("processing_metrics", (long) d.metrics().list().size());
        }
        if (current.has(Layout.RUN_HISTORY)) {
            counts.put("pipeline_runs", d.runs().count(RunQuery.all()));
        }
        if (current.has(Layout.DAGGER)) {
            List<DagSummary> dags = d.dags().summary();
            counts.put("dags", (long) dags.size());
            counts.put("snapshots", dags.stream().mapToLong(DagSummary::snapshotCount).sum());
            counts.put("artifacts", dags.stream().mapToLong(DagSummary::artifactCount).sum());
        }
        if (current.has(Layout.HYPERPAGE)) {
            counts.put("jobs", d.hyperpage().jobs().countByStatus().values().stream().mapToLong(Long::longValue).sum());
        }
        counts.forEach((table, count) -> out.append("  ").append(table).append(": ").append(count).append('\n'));
        if (current.has(Layout.ETL)) {
            out.append("naive timestamps (etl-core writes local time without a zone) read in ")
                    .append(d.settings().naiveTimeZone()).append(" (open with ConnectionSettings.withNaiveTimeZone to change)\n");
        }
        // returned, not printed as well: the notebook shows a cell's result, so printing showed it twice
        return out.toString();
    }

    // ---- display settings ----

    /** Rows shown when a table renders without its own limit (first and last halves). */
    public int maxRows() {
        return maxRows;
    }

    /** @throws InvalidArgumentException for fewer than 2 rows */
    public NotebookSession maxRows(int rows) {
        if (rows < 2) {
            throw new InvalidArgumentException("maxRows must be 2 or more, was " + rows);
        }
        this.maxRows = rows;
        return this;
    }

    /** A table to render with its own row limit. */
    public TableView show(Table table, int rows) {
        return new TableView(table, rows);
    }

    public TableView show(Table table) {
        return new TableView(table, maxRows);
    }

    // ---- adaptive pipeline ----

    /** The pipeline with this name (an active one) or id (any). */
    public Pipeline pipeline(String nameOrId) {
        return pipelines.pipeline(nameOrId);
    }

    /** One row per pipeline: stage chain, archived, latest run status, run counts and throughput. */
    public Table pipelines() {
        return pipelines.pipelines();
    }

    /** One row per stage of a pipeline (name or id), in order. */
    public Table stages(String pipeline) {
        return pipelines.stages(pipeline);
    }

    /** One row per configuration key of a pipeline (name or id). */
    public Table config(String pipeline) {
        return pipelines.config(pipeline);
    }

    /** Processing metrics: one row per pipeline (its latest run, as the adaptive pipeline keeps them). */
    public Table metrics() {
        return pipelines.metrics();
    }

    // ---- runs ----

    /** Runs from every tool the file holds (Pipescope runs, Hyperpage jobs, ETL, dagger), newest first, up to 1,000. */
    public Table runs() {
        return runs(RunFilter.capped());
    }

    /** Runs across every source the file holds that match {@code filter}, newest first. */
    public Table runs(RunFilter filter) {
        return runs.runs(filter);
    }

    /** Every run of every source, newest first, with no limit: the whole history as one table. */
    public Table allRuns() {
        return runs(RunFilter.everything());
    }

    /** The recorded runs of one pipeline (name or id), newest first, up to {@link RunQuery#DEFAULT_LIMIT}. */
    public Table runs(String pipeline) {
        return runs(pipeline, RunQuery.all());
    }

    /** Runs of one pipeline matching {@code query} (status, time range, page); its pipeline is set here. */
    public Table runs(String pipeline, RunQuery query) {
        return runs.runs(pipeline, query);
    }

    /** Run statistics per pipeline: counts by outcome, success rate, p50/p95 duration, throughput. */
    public Table stats() {
        return runs.stats();
    }

    // ---- dagger ----

    /** One row per DAG: artifacts, execution tree size, snapshots, execution state. */
    public Table dags() {
        return dagger.dags();
    }

    /** One row per snapshot of {@code dag}. */
    public Table snapshots(String dag) {
        return dagger.snapshots(dag);
    }

    /** The latest snapshot of {@code dag}: one row per node and key. */
    public Table snapshot(String dag) {
        return dagger.snapshot(dag);
    }

    /** Snapshot {@code id} of {@code dag}: one row per node and key. */
    public Table snapshot(String dag, long id) {
        return dagger.snapshot(dag, id);
    }

    /** The artifacts dagger holds for {@code dag} now: one row per node and key. */
    public Table artifacts(String dag) {
        return dagger.artifacts(dag);
    }

    /** The execution tree of {@code dag}: one row per executed node. */
    public Table tree(String dag) {
        return dagger.tree(dag);
    }

    /** What changed from snapshot {@code a} to snapshot {@code b}: added, removed and changed values. */
    public Table diff(String dag, long a, long b) {
        return dagger.diff(dag, a, b);
    }

    // ---- Hyperpage ----

    /** One row per Hyperpage job. */
    public Table jobs() {
        return hyperpage.jobs();
    }

    // ---- ETL framework ----

    /** The ETL framework's executions, newest first, up to {@link EtlExecutionQuery#DEFAULT_LIMIT}. */
    public Table executions() {
        return executions(EtlExecutionQuery.all());
    }

    /** The ETL framework's executions matching {@code query} (job, status, environment, time, sort, limit). */
    public Table executions(EtlExecutionQuery query) {
        return etl.executions(query);
    }

    /** One row per ETL job: strategy, retries, file logging. */
    public Table etlJobs() {
        return etl.etlJobs();
    }

    /** An ETL job's components (by job name or id). */
    public Table etlComponents(String job) {
        return etl.etlComponents(job);
    }

    /** The ETL framework's schedules: job, environment, trigger and whether paused. */
    public Table etlSchedules() {
        return etl.etlSchedules();
    }

    /** An ETL job's component graph (by job name or id), laid out like {@link #graph(String)}. */
    public Chart etlGraph(String job) {
        return diagrams.etlGraph(job);
    }

    // ---- SQL ----

    /** Runs SQL on the current database; {@code :name} parameters come from {@code parameters}. */
    public Table sql(String sql, Map<String, ?> parameters) {
        return SqlRunner.run(db(), sql, parameters);
    }

    public Table sql(String sql) {
        return sql(sql, Map.of());
    }

    /** Name/value pairs as a map that, unlike {@code Map.of}, takes null values (SQL NULL). */
    public static Map<String, Object> parameters(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new InvalidArgumentException("parameters(...) takes name, value pairs; got " + namesAndValues.length + " items");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(String.valueOf(namesAndValues[i]), namesAndValues[i + 1]);
        }
        return map;
    }

    /** The {@code :name} parameters a statement uses, in order of first use. */
    public static List<String> parameterNames(String sql) {
        return SqlText.parameters(sql).names().stream().distinct().toList();
    }

    // ---- pictures ----

    /** The execution tree of {@code dag} laid out by ELK, nodes coloured by outcome, edges labelled. */
    public Chart graph(String dag) {
        return diagrams.graph(dag);
    }

    /** The stage chain of a pipeline, left to right. */
    public Chart pipelineDiagram(String pipeline) {
        return diagrams.pipelineDiagram(pipeline);
    }

    // ---- analysis: time windows, comparisons, buckets, rankings, timelines, stale work ----

    /** The window [from, to) (UTC), for runs(window), stats(window), compare(a, b). */
    public TimeWindow window(Instant from, Instant to) {
        return TimeWindow.of(from, to);
    }

    /** The window [from, to) from ISO-8601 instants such as {@code 2025-10-25T00:00:00Z}. */
    public TimeWindow window(String from, String to) {
        return TimeWindow.of(from, to);
    }

    /**
     * The last {@code length} of data: ending just after the newest run in the file, not at the clock.
     *
     * @throws dev.pipescope.error.NotFoundException when the file holds no run with a time
     */
    public TimeWindow window(Duration length) {
        return analysis.lastOfData(length);
    }

    /** Every run of every tool whose time (start, else end) is in {@code window}, newest first, no cap. */
    public Table runs(TimeWindow window) {
        return analysis.runs(window);
    }

    public Table runs(Instant from, Instant to) {
        return runs(window(from, to));
    }

    /** The runs of the last {@code length} of data. */
    public Table runs(Duration length) {
        return runs(window(length));
    }

    /**
     * Statistics per source and pipeline of every tool's runs in {@code window}: counts by outcome, success
     * rate, p50/p95 duration of succeeded runs (nearest rank), mean and best throughput.
     */
    public Table stats(TimeWindow window) {
        return analysis.stats(window);
    }

    public Table stats(Instant from, Instant to) {
        return stats(window(from, to));
    }

    /** Statistics of the last {@code length} of data. */
    public Table stats(Duration length) {
        return stats(window(length));
    }

    /** Period {@code a} against period {@code b} per pipeline, the one that got most worse first. */
    public Table compare(TimeWindow a, TimeWindow b) {
        return analysis.compare(a, b);
    }

    /** The last {@code length} of data against the period as long just before it. */
    public Table compare(Duration length) {
        TimeWindow recent = window(length);
        return compare(recent.previous(), recent);
    }

    /** Significant regressions of the last 7 days of data against the 28 days before. */
    public Table regressions() {
        return regressions(Duration.ofDays(7));
    }

    /** Significant regressions of the last {@code recent} of data against the 4 periods as long before it. */
    public Table regressions(Duration recent) {
        return analysis.regressions(recent);
    }

    public Table regressions(TimeWindow baseline, TimeWindow recent) {
        return analysis.regressions(baseline, recent);
    }

    /** The p-th percentile (nearest rank) of a numeric column, missing values left out. */
    public static double percentile(Table table, String column, double p) {
        return Percentiles.of(table, column, p);
    }

    /** Runs per time bucket and status, every bucket from the first run's to the last one's, empty ones 0. */
    public static Table counts(Table runs, Duration bucket) {
        return TimeBuckets.counts(runs, bucket);
    }

    /** Per pipeline and time bucket: runs, mean, p50 and p95 (nearest rank) of a measure of succeeded runs. */
    public static Table series(Table runs, Duration bucket, String measure) {
        return TimeBuckets.series(runs, bucket, measure);
    }

    /** The snapshot of {@code dag} in force at {@code time}: the newest taken at or before it. */
    public Table snapshot(String dag, Instant time) {
        return dagger.snapshot(dag, time);
    }

    /** A Gantt chart of a runs table: a lane per pipeline, bars coloured by status, failures crossed. */
    public static Chart timeline(Table runs) {
        return TimelineChart.draw(runs, "pipeline");
    }

    /** A Gantt chart with a lane per value of {@code laneColumn} (e.g. {@code "source"}). */
    public static Chart timeline(Table runs, String laneColumn) {
        return TimelineChart.draw(runs, laneColumn);
    }

    /** Runs of any tool whose time span overlaps run {@code runId}'s, the run first. */
    public Table concurrent(String runId) {
        return analysis.concurrent(runId);
    }

    /** Work still running in any tool and not heard of for {@code age} or more (by the clock). */
    public Table stale(Duration age) {
        return analysis.stale(age);
    }

    /** The {@code n} longest runs of every tool; runs without a duration never come first. */
    public Table slowest(int n) {
        return analysis.ranked(n, true);
    }

    /** The {@code n} shortest runs of every tool; runs without a duration come last. */
    public Table fastest(int n) {
        return analysis.ranked(n, false);
    }

    /** The {@code n} rows of a runs table with the longest {@code duration_ms}, missing values last. */
    public static Table slowest(Table runs, int n) {
        return Rankings.top(runs, "duration_ms", n, true);
    }

    public static Table fastest(Table runs, int n) {
        return Rankings.top(runs, "duration_ms", n, false);
    }

    /** {@code table} sorted on {@code column}, rows without a value last whichever the direction. */
    public static Table sortMissingLast(Table table, String column, boolean descending) {
        return Rankings.sorted(table, column, descending);
    }

    @Override
    public void close() {
        current.close();
    }
}
