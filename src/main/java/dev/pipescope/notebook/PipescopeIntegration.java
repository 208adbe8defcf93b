package dev.pipescope.notebook;

import dev.pipescope.kernel.IntegrationContext;
import dev.pipescope.kernel.MimeBundle;
import dev.pipescope.kernel.NotebookIntegration;
import tech.tablesaw.api.Table;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Pipescope's notebook integration: imports the library, shares a {@link NotebookSession} as the
 * notebook variable {@code pipescope} (opened on {@code PIPESCOPE_DB} when set), defines the helper
 * methods ({@code pipelines()}, {@code runs()}, {@code sql(...)}, {@code graph(dag)}...), renders tables,
 * charts and domain values, and adds the {@code %%sql} cell magic.
 */
public final class PipescopeIntegration implements NotebookIntegration {

    static final List<String> IMPORTS = List.of("dev.pipescope.*", "dev.pipescope.domain.*", "dev.pipescope.notebook.*",
            "tech.tablesaw.api.Table", "java.nio.file.*", "java.time.*", "java.util.*");

    /** The helper methods, each delegating to the session; the same text runs in plain jshell. */
    static final String HELPERS = """
            String open(String path) { return pipescope.open(Path.of(path)); }
            String open(Path path) { return pipescope.open(path); }
            String openReadOnly(String path) { return pipescope.openReadOnly(Path.of(path)); }
            String openReadOnly(Path path) { return pipescope.openReadOnly(path); }
            Table pipelines() { return pipescope.pipelines(); }
            Table stages(String pipeline) { return pipescope.stages(pipeline); }
            Table config(String pipeline) { return pipescope.config(pipeline); }
            Table metrics() { return pipescope.metrics(); }
            Table runs() { return pipescope.runs(); }
            Table runs(RunFilter filter) { return pipescope.runs(filter); }
            Table allRuns() { return pipescope.allRuns(); }
            Table runs(String pipeline) { return pipescope.runs(pipeline); }
            Table runs(String pipeline, RunQuery query) { return pipescope.runs(pipeline, query); }
            Table stats() { return pipescope.stats(); }
            Table dags() { return pipescope.dags(); }
            Table snapshots(String dag) { return pipescope.snapshots(dag); }
            Table snapshot(String dag) { return pipescope.snapshot(dag); }
            Table snapshot(String dag, long id) { return pipescope.snapshot(dag, id); }
            Table tree(String dag) { return pipescope.tree(dag); }
            Table artifacts(String dag) { return pipescope.artifacts(dag); }
            Table jobs() { return pipescope.jobs(); }
            Table diff(String dag, long snapshotA, long snapshotB) { return pipescope.diff(dag, snapshotA, snapshotB); }
            Table sql(String sql) { return pipescope.sql(sql); }
            Table sql(String sql, Map<String, ?> parameters) { return pipescope.sql(sql, parameters); }
            TableView show(Table table, int rows) { return pipescope.show(table, rows); }
            TableView show(Table table) { return pipescope.show(table); }
            Chart chart(Table table, String x, String... y) { return Charts.chart(table, x, y); }
            Chart throughputChart(Table runs) { return Charts.throughputOverTime(runs); }
            Chart durationChart(Table runs) { return Charts.durationDistribution(runs); }
            Chart bytesChart(Table runs) { return Charts.bytesPerPipeline(runs); }
            Chart successRateChart(Table runs) { return Charts.successRatePerDay(runs); }
            Chart graph(String dag) { return pipescope.graph(dag); }
            Chart pipelineDiagram(String pipeline) { return pipescope.pipelineDiagram(pipeline); }
            """;

    @Override
    public void configure(IntegrationContext context) {
        IMPORTS.forEach(context::addImport);
        NotebookSession session = new NotebookSession();
        context.addVariable("pipescope", NotebookSession.class, () -> {
            context.environment("PIPESCOPE_DB").ifPresent(db -> session.openEnvironmentDatabase(Map.of("PIPESCOPE_DB", db)));
            return session;
        }, "NotebookSession.fromEnvironment()");
        context.addStartupCode(HELPERS);
        context.addCellMagic("sql", PipescopeIntegration::sqlMagic);
        context.addRenderer(Table.class, table -> tableBundle(TableRenderer.html(table, session.maxRows()),
                TableRenderer.text(table, session.maxRows())));
        context.addRenderer(TableView.class, view -> tableBundle(view.html(), view.text()));
        context.addRenderer(Chart.class, chart -> MimeBundle.svg(chart.svg()).withPlainText(chart.toString()));
        // a health report has its own layout (verdict, reasons, then facts), not one wide row
        context.addRenderer(dev.pipescope.ops.HealthReport.class,
                report -> MimeBundle.html(report.toHtml()).withPlainText(report.toString()));
        context.addRenderer(Record.class, value -> renderRecords(value, session));
        context.addRenderer(Collection.class, value -> renderRecords(value, session));
        context.onShutdown(session::close);
    }

    private static MimeBundle tableBundle(String html, String text) {
        return MimeBundle.html(html).withPlainText(text);
    }

    /** Pipescope records render as tables; any other value falls back to the kernel's rendering (null). */
    static MimeBundle renderRecords(Object value, NotebookSession session) {
        if (RecordTables.recordType(value).isEmpty()) {
            return null;
        }
        Table table = RecordTables.of(value);
        return tableBundle(TableRenderer.html(table, session.maxRows()), TableRenderer.text(table, session.maxRows()));
    }

    /**
     * {@code %%sql [variable]}: the cell is one SQL statement; {@code :name} parameters take the notebook
     * variables of the same name. With a variable name, the result table is also kept in it.
     */
    static String sqlMagic(String args, String body) {
        StringBuilder parameters = new StringBuilder();
        for (String name : NotebookSession.parameterNames(body)) {
            parameters.append(parameters.length() == 0 ? "" : ", ").append(javaString(name)).append(", ").append(name);
        }
        String call = "pipescope.sql(" + javaString(body) + ", NotebookSession.parameters(" + parameters + "))";
        String target = args.strip();
        if (target.isEmpty()) {
            return call;
        }
        if (!javax.lang.model.SourceVersion.isIdentifier(target) || javax.lang.model.SourceVersion.isKeyword(target)) {
            throw new IllegalArgumentException("%%sql takes an optional variable name for the result, not '" + target + "'");
        }
        return "Table " + target + " = " + call + ";\n" + target;
    }

    /** A Java string literal on one line (so no line of the generated code can look like a magic). */
    static String javaString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
