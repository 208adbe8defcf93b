package dev.pipescope.notebook;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.domain.DagCache;
import dev.pipescope.domain.Run;
import dev.pipescope.domain.RunColumns;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunSource;
import dev.pipescope.domain.RunStatus;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Pipescope integration's kernel warm-ups ({@code IntegrationContext.addWarmUp}): the code an analyst's first
 * cells run, run once before they need it, so that they do not pay for loading and compiling it. Measured on the
 * small demo (bench/session): a first {@code allRuns()} cost 0.4 s of CPU and a later one 0.1 s, a first chart
 * 0.3 s and a later one 0.1 s, a first {@code graph(dag)} 0.2 s and a later one 0.03 s.
 *
 * <p>Neither warm-up changes anything a notebook sees: {@link #database} reads a few rows of the notebook's file
 * through a read-only connection of its own, {@link #tables} works on runs it makes up. Neither prints or writes
 * a file. Example: {@code NotebookWarmUp.tables()}.
 */
public final class NotebookWarmUp {

    /** Runs read from the notebook's file: enough to go through every reader, few enough for any file. */
    static final int DATABASE_RUNS = 200;
    /** When the made-up runs end; any time works, a fixed one keeps the made-up data the same every time. */
    private static final Instant END = Instant.parse("2025-11-01T00:00:00Z");

    private NotebookWarmUp() {
    }

    /**
     * What a first cell does to the notebook's file: opens it (read-only, here), describes it, and reads
     * its newest {@value #DATABASE_RUNS} runs of every tool into a table, as {@code allRuns()} reads all of them.
     *
     * @return the rows read
     * @throws dev.pipescope.error.PipescopeException when the file cannot be opened or read (the kernel logs it;
     *         the notebook's own session reports the same problem to its first helper)
     */
    public static int database(Path file) {
        try (NotebookSession session = new NotebookSession()) {
            // the session closes the database it uses
            PipescopeDatabase db = Pipescope.openReadOnly(file);
            session.use(db);
            Table runs = RunColumnsTable.read("runs", batches -> db.runs().unifiedColumns(
                    RunFilter.everything().limit(DATABASE_RUNS), batches));
            render(runs.where(runs.stringColumn("status").isEqualTo("failed")));
            return runs.rowCount();
        }
    }

    /**
     * The helpers that work on tables, on made-up runs of two weeks: compare, counts, slowest, a chart, a DAG's
     * graph and a cache table, each rendered as a notebook shows it (HTML and text, SVG and PNG).
     *
     * @return what ran, one name per helper
     */
    public static List<String> tables() {
        List<String> ran = new ArrayList<>();
        List<Run> madeUp = madeUpRuns();
        Table runs = table(madeUp);
        render(runs.where(runs.stringColumn("status").isEqualTo("failed")).countBy("source", "pipeline"));
        ran.add("countBy");
        TimeWindow recent = TimeWindow.of(END.minus(Duration.ofDays(7)), END);
        TimeWindow before = recent.previous();
        render(Comparisons.compare(table(inWindow(madeUp, before)), before, table(inWindow(madeUp, recent)), recent));
        ran.add("compare");
        Table hourly = TimeBuckets.counts(table(inWindow(madeUp, TimeWindow.of(END.minus(Duration.ofDays(2)), END))),
                Duration.ofHours(1));
        render(hourly);
        ran.add("counts");
        PipescopeIntegration.chartBundle(Charts.chart(hourly, "bucket", "failed", "succeeded"));
        ran.add("chart");
        render(Rankings.top(runs, "duration_ms", 5, true));
        ran.add("slowest");
        List<GraphLayout.Box> boxes = List.of(
                new GraphLayout.Box("fetch", "succeeded", "#bbf7d0", "#15803d", "fetch: succeeded"),
                new GraphLayout.Box("parse", "retried, 1 retry", "#fde68a", "#b45309", "parse: retried"),
                new GraphLayout.Box("store", "failed", "#f8b4b4", "#b91c1c", "store: failed"));
        List<GraphLayout.Arrow> arrows = List.of(new GraphLayout.Arrow(0, 1, "executed_after"),
                new GraphLayout.Arrow(1, 2, "executed_after"));
        PipescopeIntegration.chartBundle(new Chart("warm-up", GraphLayout.draw("warm-up", boxes, arrows, false)));
        ran.add("graph");
        DagCache cache = DagCache.builder().put("fetch", "rows", IntNode.valueOf(3)).put("parse", "output", TextNode.valueOf("ok"))
                .build();
        render(DaggerTables.cacheTable("warm-up", cache));
        ran.add("cache");
        return ran;
    }

    /** Three pipelines running every two hours for two weeks, with some failures and cancellations. */
    private static List<Run> madeUpRuns() {
        List<Run> runs = new ArrayList<>();
        String[] pipelines = {"ship-logs", "pack-backups", "seal-logs"};
        for (int i = 0; i < 14 * 12; i++) {
            String pipeline = pipelines[i % pipelines.length];
            Instant start = END.minus(Duration.ofHours(2L * i + 1));
            Duration duration = Duration.ofMillis(500 + 37L * (i % 23));
            RunStatus status = i % 11 == 0 ? RunStatus.FAILED : i % 17 == 0 ? RunStatus.CANCELLED : RunStatus.SUCCEEDED;
            runs.add(new Run(RunSource.PIPESCOPE, "warm-up-" + i, pipeline, pipeline, status, status.dbValue(), start,
                    start.plus(duration), duration, 1, status == RunStatus.FAILED ? "made up" : null,
                    Map.of("bytes_processed", 1e6 + i, "throughput_bytes_per_second", 1e6 / duration.toMillis() * 1000)));
        }
        return runs;
    }

    /** As the helpers build a runs table: through the same columns and the same second thread. */
    private static Table table(List<Run> runs) {
        return RunColumnsTable.read("runs", batches -> batches.accept(RunColumns.of(runs)));
    }

    private static List<Run> inWindow(List<Run> runs, TimeWindow window) {
        return runs.stream().filter(r -> !r.start().isBefore(window.from()) && r.start().isBefore(window.to())).toList();
    }

    private static void render(Table table) {
        TableRenderer.html(table, TableRenderer.DEFAULT_MAX_ROWS);
        TableRenderer.text(table, TableRenderer.DEFAULT_MAX_ROWS);
    }
}
