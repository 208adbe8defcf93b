package dev.pipescope.notebook;

import dev.pipescope.ops.Health;

import dev.pipescope.demo.DemoData;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.RunQuery;
import dev.pipescope.kernel.CellMagic;
import dev.pipescope.kernel.IntegrationContext;
import dev.pipescope.kernel.MimeBundle;
import dev.pipescope.kernel.NotebookIntegration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipescopeIntegrationTest {

    /** What the integration contributed, as the kernel would receive it. */
    static final class Recorded implements IntegrationContext {
        final List<String> imports = new ArrayList<>();
        final List<String> startup = new ArrayList<>();
        final Map<Class<?>, Function<Object, MimeBundle>> renderers = new HashMap<>();
        final Map<String, Supplier<?>> variables = new HashMap<>();
        final Map<String, String> standalone = new HashMap<>();
        final Map<String, CellMagic> cellMagics = new HashMap<>();
        final List<Runnable> shutdown = new ArrayList<>();
        final List<Runnable> warmUps = new ArrayList<>();
        final Map<String, String> environment;

        Recorded(Map<String, String> environment) {
            this.environment = environment;
        }

        @Override
        public IntegrationContext addImport(String importTarget) {
            imports.add(importTarget);
            return this;
        }

        @Override
        public IntegrationContext addStartupCode(String code) {
            startup.add(code);
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> IntegrationContext addRenderer(Class<T> type, Function<? super T, MimeBundle> renderer) {
            renderers.put(type, value -> renderer.apply((T) value));
            return this;
        }

        @Override
        public <T> IntegrationContext addVariable(String name, Class<T> type, Supplier<? extends T> value, String initializer) {
            variables.put(name, value);
            standalone.put(name, initializer);
            return this;
        }

        @Override
        public IntegrationContext addCellMagic(String name, CellMagic magic) {
            cellMagics.put(name, magic);
            return this;
        }

        @Override
        public IntegrationContext addWarmUp(Runnable warmUp) {
            warmUps.add(warmUp);
            return this;
        }

        @Override
        public IntegrationContext onShutdown(Runnable hook) {
            shutdown.add(hook);
            return this;
        }

        @Override
        public Map<String, String> environment() {
            return environment;
        }
    }

    @Test
    void isFoundThroughServiceLoader() {
        List<String> found = new ArrayList<>();
        ServiceLoader.load(NotebookIntegration.class).forEach(i -> found.add(i.getClass().getName()));
        assertTrue(found.contains(PipescopeIntegration.class.getName()), found.toString());
    }

    @Test
    void sharesASessionOnPipescopeDbAndClosesItOnShutdown(@TempDir Path dir) throws java.io.IOException {
        Path file = dir.resolve("demo.db");
        DemoData.create(file, dev.pipescope.demo.DemoScale.SMALL).close();
        Recorded recorded = new Recorded(Map.of("PIPESCOPE_DB", file.toString()));
        new PipescopeIntegration().configure(recorded);
        assertTrue(recorded.imports.containsAll(List.of("dev.pipescope.*", "dev.pipescope.notebook.*", "tech.tablesaw.api.Table")));
        NotebookSession session = (NotebookSession) recorded.variables.get("pipescope").get();
        assertEquals(file, session.db().path().orElseThrow());
        assertEquals("NotebookSession.forHelpers(NotebookSession.fromEnvironment())", recorded.standalone.get("pipescope"));
        // the helpers are imported from one class, not declared again as startup code
        assertTrue(recorded.imports.contains("static dev.pipescope.notebook.Helpers.*"), recorded.imports.toString());
        assertTrue(recorded.startup.isEmpty(), recorded.startup.toString());
        assertEquals(session.pipelines().rowCount(), Helpers.pipelines().rowCount());

        // a table renders as HTML and text with the session's row limit
        Table runs = session.runs(session.db().pipelines().listIncludingArchived().get(0).name(), RunQuery.all().page(0, 100));
        session.maxRows(6);
        MimeBundle bundle = recorded.renderers.get(Table.class).apply(runs);
        String html = (String) bundle.data().get("text/html");
        assertEquals(6, TableRendererTest.bodyRows(html));
        String text = (String) bundle.data().get("text/plain");
        assertTrue(text.contains((runs.rowCount() - 6) + " more rows"), text);

        // domain records and lists of them render as tables; other lists are left to the kernel
        session.maxRows(50);
        var pipelines = session.db().pipelines().listIncludingArchived();
        MimeBundle list = recorded.renderers.get(java.util.Collection.class).apply(pipelines);
        assertEquals(pipelines.size(), TableRendererTest.bodyRows((String) list.data().get("text/html")));
        assertTrue(((String) list.data().get("text/html")).contains("<th>stages</th>"));
        MimeBundle one = recorded.renderers.get(Record.class).apply(pipelines.get(0));
        assertEquals(1, TableRendererTest.bodyRows((String) one.data().get("text/html")));
        assertNull(recorded.renderers.get(java.util.Collection.class).apply(List.of(1, 2)));
        assertNull(recorded.renderers.get(Record.class).apply(new dev.pipescope.kernel.MimeBundle(Map.of(), Map.of())));

        Chart chart = session.pipelineDiagram(pipelines.get(0).name());
        MimeBundle picture = recorded.renderers.get(Chart.class).apply(chart);
        assertTrue(((String) picture.data().get("image/svg+xml")).startsWith("<svg"));
        // a PNG beside the SVG, for front ends that drop inline SVG (nbconvert's HTML, GitHub, VS Code)
        byte[] png = java.util.Base64.getDecoder().decode((String) picture.data().get("image/png"));
        var image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        assertEquals(chart.width() * Chart.PNG_SCALE, image.getWidth());
        assertEquals(Map.of("width", chart.width(), "height", chart.height()), picture.metadata().get("image/png"));

        var health = Health.check(session.db());
        MimeBundle report = recorded.renderers.get(dev.pipescope.ops.HealthReport.class).apply(health);
        assertEquals(health.toHtml(), report.data().get("text/html"));
        assertTrue(((String) report.data().get("text/plain")).contains(health.status().name().toLowerCase(java.util.Locale.ROOT)),
                (String) report.data().get("text/plain"));

        // warm-ups: one on the notebook's file, one on made-up runs; both run without touching the session
        assertEquals(2, recorded.warmUps.size());
        recorded.warmUps.forEach(Runnable::run);
        assertEquals(file, session.db().path().orElseThrow());

        recorded.shutdown.forEach(Runnable::run);
        assertFalse(session.current().isPresent(), "shutdown closes the database");
    }

    @Test
    void sqlMagicBindsNotebookVariablesByName() {
        CellMagic sql = PipescopeIntegration::sqlMagic;
        String body = "SELECT * FROM runs\nWHERE status = :status AND name <> ':quoted' AND x = \"q\\\\\"";
        String java = sql.toJava("", body);
        assertEquals("pipescope.sql(\"SELECT * FROM runs\\nWHERE status = :status AND name <> ':quoted' AND x = \\\"q\\\\\\\\\\\"\", "
                + "NotebookSession.parameters(\"status\", status))", java);
        assertFalse(java.contains("\n"), "one line: no part of it can look like a magic");
        assertEquals("Table failed = pipescope.sql(\"SELECT 1\", NotebookSession.parameters());\nfailed",
                sql.toJava("failed", "SELECT 1"));
    }

    @Test
    void aPipelineNamedScriptRendersAsText() {
        Table table = Table.create("pipelines", StringColumn.create("name", "<script>alert('x')</script>"));
        Recorded recorded = new Recorded(Map.of());
        new PipescopeIntegration().configure(recorded);
        String html = (String) recorded.renderers.get(Table.class).apply(table).data().get("text/html");
        assertFalse(html.contains("<script>"), html);
        NotebookSession session = (NotebookSession) recorded.variables.get("pipescope").get();
        assertTrue(session.current().isEmpty(), "without PIPESCOPE_DB the session starts with no database");
        // and only the warm-up that needs no file
        assertEquals(1, recorded.warmUps.size());
    }
}
