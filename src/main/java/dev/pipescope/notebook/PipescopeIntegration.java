package dev.pipescope.notebook;

import dev.pipescope.kernel.IntegrationContext;
import dev.pipescope.kernel.MimeBundle;
import dev.pipescope.kernel.NotebookIntegration;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Pipescope's notebook integration: imports the library, shares a {@link NotebookSession} as the
 * notebook variable {@code pipescope} (opened on {@code PIPESCOPE_DB} when set: an alias, a URL or a path), imports the helpers of
 * {@link Helpers} ({@code pipelines()}, {@code runs()}, {@code sql(...)}, {@code graph(dag)}...), renders tables,
 * charts and domain values, adds the {@code %%sql} cell magic, and warms the helpers up ({@link NotebookWarmUp}).
 */
public final class PipescopeIntegration implements NotebookIntegration {

    static final List<String> IMPORTS = List.of("dev.pipescope.*", "dev.pipescope.domain.*", "dev.pipescope.notebook.*",
            "tech.tablesaw.api.Table", "java.nio.file.*", "java.time.*", "java.util.*",
            // the helpers, declared once in Helpers for the kernel and plain jshell alike
            "static dev.pipescope.notebook.Helpers.*");

    @Override
    public void configure(IntegrationContext context) {
        IMPORTS.forEach(context::addImport);
        // the kernel's environment: PIPESCOPE_DB may be an alias whose settings are PIPESCOPE_DATABASE_* variables
        NotebookSession session = new NotebookSession(context.environment(), java.time.Clock.systemUTC());
        context.addVariable("pipescope", NotebookSession.class, () -> {
            session.openEnvironmentDatabase();
            return NotebookSession.forHelpers(session);
        }, "NotebookSession.forHelpers(NotebookSession.fromEnvironment())");
        context.addCellMagic("sql", PipescopeIntegration::sqlMagic);
        context.addRenderer(Table.class, table -> tableBundle(TableRenderer.html(table, session.maxRows()),
                TableRenderer.text(table, session.maxRows())));
        context.addRenderer(TableView.class, view -> tableBundle(view.html(), view.text()));
        context.addRenderer(Chart.class, PipescopeIntegration::chartBundle);
        // a health report has its own layout (verdict, reasons, then facts), not one wide row
        context.addRenderer(dev.pipescope.ops.HealthReport.class,
                report -> MimeBundle.html(report.toHtml()).withPlainText(report.toString()));
        // a DAG's cache (db.dags().loadSnapshot(dag, time) and the like) as its node × key table, not Map.toString()
        context.addRenderer(dev.pipescope.domain.DagCache.class, cache -> renderCache(cache, session));
        // where a database is, and whose credentials: one row naming no password (before Record: a class is
        // looked up before its supertypes)
        context.addRenderer(dev.pipescope.DatabaseLocation.Server.class, location -> table(LocationTables.of(location), session));
        context.addRenderer(dev.pipescope.DatabaseLocation.File.class, location -> table(LocationTables.of(location), session));
        context.addRenderer(dev.pipescope.ServerTarget.class, target -> table(LocationTables.of(target), session));
        context.addRenderer(java.util.Optional.class, value -> renderOptional(value, session));
        context.addRenderer(Record.class, value -> renderRecords(value, session));
        context.addRenderer(Collection.class, value -> renderRecords(value, session));
        // arrays (RunSource.values()) would show as [Ldev.pipescope...;@da2a158; only Object catches every
        // array type. The kernel looks a value's classes up before its interfaces, so for a list Object
        // comes before Collection: this renderer answers for collections too, and null (the kernel's own
        // rendering) for anything else
        context.addRenderer(Object.class, value -> value instanceof Collection<?> ? renderRecords(value, session)
                : renderArray(value, session));
        context.onShutdown(session::close);
        // the helpers' first runs cost more than later ones (classes to load, code to compile): run their code once
        // while the kernel starts, so that a notebook's first cells do not pay for that
        context.environment("PIPESCOPE_DB").ifPresent(db -> context.addWarmUp(() -> NotebookWarmUp.database(Path.of(db))));
        context.addWarmUp(() -> NotebookWarmUp.tables());
    }

    /**
     * A picture as SVG (JupyterLab and Notebook draw it) and as PNG shown at the SVG's size (nbconvert's
     * HTML, whose sanitiser empties inline SVG, GitHub and VS Code show that one).
     */
    static MimeBundle chartBundle(Chart chart) {
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("image/svg+xml", chart.svg());
        data.put("image/png", java.util.Base64.getEncoder().encodeToString(chart.png()));
        data.put("text/plain", chart.toString());
        return new MimeBundle(data, Map.of("image/png", Map.of("width", chart.width(), "height", chart.height())));
    }

    private static MimeBundle table(Table table, NotebookSession session) {
        return tableBundle(TableRenderer.html(table, session.maxRows()), TableRenderer.text(table, session.maxRows()));
    }

    private static MimeBundle tableBundle(String html, String text) {
        return MimeBundle.html(html).withPlainText(text);
    }

    static MimeBundle renderCache(dev.pipescope.domain.DagCache cache, NotebookSession session) {
        Table table = DaggerTables.cacheTable("cache: " + cache.nodeIds().size() + " nodes, " + cache.size() + " values", cache);
        return tableBundle(TableRenderer.html(table, session.maxRows()), TableRenderer.text(table, session.maxRows()));
    }

    /**
     * A present Optional of something Pipescope renders (a DAG cache, a record) renders as that; anything else,
     * an empty Optional included, falls back to the kernel's rendering ("Optional.empty" says it well).
     */
    static MimeBundle renderOptional(java.util.Optional<?> value, NotebookSession session) {
        if (value.isEmpty()) {
            return null;
        }
        Object inner = value.get();
        if (inner instanceof dev.pipescope.domain.DagCache cache) {
            return renderCache(cache, session);
        }
        return renderRecords(inner, session);
    }

    /** Pipescope records render as tables; any other value falls back to the kernel's rendering (null). */
    static MimeBundle renderRecords(Object value, NotebookSession session) {
        if (RecordTables.recordType(value).isEmpty()) {
            return null;
        }
        Table table = RecordTables.of(value);
        return tableBundle(TableRenderer.html(table, session.maxRows()), TableRenderer.text(table, session.maxRows()));
    }

    /** An array as its list would render (a table of Pipescope records, else {@code [a, b, c]}); null for a non-array. */
    static MimeBundle renderArray(Object value, NotebookSession session) {
        if (value == null || !value.getClass().isArray()) {
            return null;
        }
        List<Object> items = Arrays.asList(arrayItems(value));
        MimeBundle records = renderRecords(items, session);
        if (records != null) {
            return records;
        }
        return MimeBundle.text(arrayText(value));
    }

    private static Object[] arrayItems(Object array) {
        Object[] items = new Object[java.lang.reflect.Array.getLength(array)];
        for (int i = 0; i < items.length; i++) {
            items[i] = java.lang.reflect.Array.get(array, i);
        }
        return items;
    }

    /** {@code [a, b, c]}, nested arrays too. */
    static String arrayText(Object array) {
        return Arrays.deepToString(new Object[] {array}).replaceAll("^\\[|\\]$", "");
    }

    /**
     * {@code %%sql [variable]}: the cell is SQL (one statement or several, run as {@link SqlRunner} says;
     * the last one's result shows); {@code :name} parameters take the notebook
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
