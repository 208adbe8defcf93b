package dev.pipescope.notebook;

import dev.pipescope.domain.EtlExecutionQuery;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunQuery;
import dev.pipescope.error.InvalidArgumentException;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The notebook helpers, declared once: the kernel and {@code kernel/jshell} both start with
 * {@code import static dev.pipescope.notebook.Helpers.*;}, and every helper delegates to the session
 * the integration made (the notebook variable {@code pipescope}). docs/notebook-helpers.md documents
 * each of them; a test keeps the two in step.
 *
 * <pre>{@code
 * open("/data/adaptive_pipeline.db");
 * pipelines().sortDescendingOn("runs");
 * sql("SELECT status, count(*) AS n FROM pipeline_runs GROUP BY status");
 * }</pre>
 */
public final class Helpers {

    private static volatile NotebookSession session;

    private Helpers() {
    }

    /** Makes {@code helpers} the session every helper delegates to; returns it (for a variable initializer). */
    static NotebookSession bind(NotebookSession helpers) {
        session = helpers;
        return helpers;
    }

    /** @throws InvalidArgumentException when no session is bound (the integration binds one at start) */
    private static NotebookSession session() {
        NotebookSession bound = session;
        if (bound == null) {
            throw new InvalidArgumentException("the notebook helpers have no session: start the Pipescope kernel or "
                    + "kernel/jshell, or run NotebookSession.forHelpers(NotebookSession.fromEnvironment())");
        }
        return bound;
    }

    // ---- the current database ----

    /**
     * Opens a database named by an alias ({@code open("prod")}), a server URL or a file path (read-only unless
     * Pipescope created it), makes it current and says what it holds.
     */
    public static String open(String database) {
        return session().open(database);
    }

    public static String open(Path path) {
        return session().open(path);
    }

    /** Opens a database named by an alias, a server URL or a file path read-only, makes it current and says what it holds. */
    public static String openReadOnly(String database) {
        return session().openReadOnly(database);
    }

    public static String openReadOnly(Path path) {
        return session().openReadOnly(path);
    }

    /** The current file's layouts and row counts. */
    public static String describe() {
        return session().describe();
    }

    // ---- adaptive pipeline ----

    public static Table pipelines() {
        return session().pipelines();
    }

    public static Table stages(String pipeline) {
        return session().stages(pipeline);
    }

    public static Table config(String pipeline) {
        return session().config(pipeline);
    }

    public static Table metrics() {
        return session().metrics();
    }

    // ---- runs ----

    public static Table runs() {
        return session().runs();
    }

    public static Table runs(RunFilter filter) {
        return session().runs(filter);
    }

    public static Table allRuns() {
        return session().allRuns();
    }

    public static Table runs(String pipeline) {
        return session().runs(pipeline);
    }

    public static Table runs(String pipeline, RunQuery query) {
        return session().runs(pipeline, query);
    }

    public static Table stats() {
        return session().stats();
    }

    // ---- dagger ----

    public static Table dags() {
        return session().dags();
    }

    public static Table snapshots(String dag) {
        return session().snapshots(dag);
    }

    public static Table snapshot(String dag) {
        return session().snapshot(dag);
    }

    public static Table snapshot(String dag, long id) {
        return session().snapshot(dag, id);
    }

    public static Table tree(String dag) {
        return session().tree(dag);
    }

    public static Table artifacts(String dag) {
        return session().artifacts(dag);
    }

    public static Table diff(String dag, long snapshotA, long snapshotB) {
        return session().diff(dag, snapshotA, snapshotB);
    }

    // ---- Hyperpage and the ETL framework ----

    public static Table jobs() {
        return session().jobs();
    }

    public static Table executions() {
        return session().executions();
    }

    public static Table executions(EtlExecutionQuery query) {
        return session().executions(query);
    }

    public static Table etlJobs() {
        return session().etlJobs();
    }

    // ---- SQL ----

    public static Table sql(String sql) {
        return session().sql(sql);
    }

    public static Table sql(String sql, Map<String, ?> parameters) {
        return session().sql(sql, parameters);
    }

    // ---- rendering ----

    public static TableView show(Table table, int rows) {
        return session().show(table, rows);
    }

    public static TableView show(Table table) {
        return session().show(table);
    }

    /** Writes a table to a file in the format its extension names (.csv); any other is refused before a file is made. */
    public static String export(Table table, String path) {
        return Exports.export(table, Path.of(path));
    }

    public static String export(Table table, Path path) {
        return Exports.export(table, path);
    }

    // ---- pictures ----

    public static Chart chart(Table table, String x, String... y) {
        return Charts.chart(table, x, y);
    }

    public static Chart throughputChart(Table runs) {
        return Charts.throughputOverTime(runs);
    }

    public static Chart durationChart(Table runs) {
        return Charts.durationDistribution(runs);
    }

    public static Chart bytesChart(Table runs) {
        return Charts.bytesPerPipeline(runs);
    }

    public static Chart successRateChart(Table runs) {
        return Charts.successRatePerDay(runs);
    }

    public static Chart graph(String dag) {
        return session().graph(dag);
    }

    public static Chart pipelineDiagram(String pipeline) {
        return session().pipelineDiagram(pipeline);
    }

    public static Table etlComponents(String job) {
        return session().etlComponents(job);
    }

    public static Table etlSchedules() {
        return session().etlSchedules();
    }

    public static Chart etlGraph(String job) {
        return session().etlGraph(job);
    }

    // ---- analysis (docs/notebook-helpers.md "Analysis") ----

    public static TimeWindow window(Instant from, Instant to) {
        return session().window(from, to);
    }

    public static TimeWindow window(String from, String to) {
        return session().window(from, to);
    }

    /** The last {@code length} of data, ending at the newest run (not the clock). */
    public static TimeWindow window(Duration length) {
        return session().window(length);
    }

    public static Table runs(TimeWindow window) {
        return session().runs(window);
    }

    public static Table runs(Instant from, Instant to) {
        return session().runs(from, to);
    }

    public static Table runs(Duration length) {
        return session().runs(length);
    }

    public static Table stats(TimeWindow window) {
        return session().stats(window);
    }

    public static Table stats(Instant from, Instant to) {
        return session().stats(from, to);
    }

    public static Table stats(Duration length) {
        return session().stats(length);
    }

    public static Table compare(TimeWindow a, TimeWindow b) {
        return session().compare(a, b);
    }

    public static Table compare(Duration length) {
        return session().compare(length);
    }

    public static Table regressions() {
        return session().regressions();
    }

    public static Table regressions(Duration recent) {
        return session().regressions(recent);
    }

    public static Table regressions(TimeWindow baseline, TimeWindow recent) {
        return session().regressions(baseline, recent);
    }

    public static double percentile(Table table, String column, double p) {
        return NotebookSession.percentile(table, column, p);
    }

    public static Table counts(Table runs, Duration bucket) {
        return NotebookSession.counts(runs, bucket);
    }

    public static Table series(Table runs, Duration bucket, String measure) {
        return NotebookSession.series(runs, bucket, measure);
    }

    public static Table snapshot(String dag, Instant time) {
        return session().snapshot(dag, time);
    }

    public static Chart timeline(Table runs) {
        return NotebookSession.timeline(runs);
    }

    public static Chart timeline(Table runs, String laneColumn) {
        return NotebookSession.timeline(runs, laneColumn);
    }

    public static Table concurrent(String runId) {
        return session().concurrent(runId);
    }

    public static Table stale(Duration age) {
        return session().stale(age);
    }

    public static Table slowest(int n) {
        return session().slowest(n);
    }

    public static Table fastest(int n) {
        return session().fastest(n);
    }

    public static Table slowest(Table runs, int n) {
        return NotebookSession.slowest(runs, n);
    }

    public static Table fastest(Table runs, int n) {
        return NotebookSession.fastest(runs, n);
    }

    public static Table sortMissingLast(Table table, String column, boolean descending) {
        return NotebookSession.sortMissingLast(table, column, descending);
    }

    // ---- pictures: bars over time ----

    /** Runs started per time bucket (minute to week, at most 60 bars), stacked by status. */
    public static Chart statusChart(Table runs) {
        return Charts.statusOverTime(runs);
    }

    /** Bars of y columns over x, stacked; a date axis when x is times. */
    public static Chart barChart(Table table, String x, String... y) {
        return Charts.barChart(table, x, y);
    }
}
