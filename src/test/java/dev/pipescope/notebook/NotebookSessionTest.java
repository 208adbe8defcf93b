package dev.pipescope.notebook;

import dev.pipescope.demo.DemoData;

import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.demo.DemoScale;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.RunQuery;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.domain.SnapshotInfo;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.LayoutNotPresentException;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every helper on the demo database (one per class: building it takes a few seconds) and on the fixtures. */
class NotebookSessionTest {

    @TempDir
    static Path dir;
    static Path demoFile;
    static NotebookSession session;

    @BeforeAll
    static void demo() {
        demoFile = dir.resolve("demo.db");
        DemoData.create(demoFile, DemoScale.SMALL).close();
        session = NotebookSession.fromEnvironment(Map.of("PIPESCOPE_DB", demoFile.toString()));
    }

    @AfterAll
    static void close() {
        session.close();
    }

    static long count(Path file, String sql) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void demoDatabaseOpensReadWriteBecausePipescopeMadeIt() {
        assertFalse(session.db().readOnly());
        String text = session.describe();
        assertTrue(text.contains("PIPESCOPE"), text);
        // twelve active pipelines and two archived ones
        assertTrue(text.contains("pipelines: 14"), text);
        // the demo holds every tool's tables
        for (String layout : List.of("HYPERPAGE", "ETL", "DAGGER", "ADAPTIVE_PIPELINE")) {
            assertTrue(text.contains(layout), layout + " missing from " + text);
        }
    }

    @Test
    void pipelinesHasOneRowPerPipelineWithTheStageChain() throws Exception {
        Table pipelines = session.pipelines();
        assertEquals(count(demoFile, "SELECT count(*) FROM pipelines"), pipelines.rowCount());
        assertEquals(List.of("name", "stages", "archived", "latest_status", "latest_run_at", "runs", "success_rate",
                "throughput_bytes_per_s", "created_at", "id"), pipelines.columnNames());
        String name = pipelines.stringColumn("name").get(0);
        Pipeline pipeline = session.db().pipelines().findByName(name).orElseThrow();
        String chain = pipelines.stringColumn("stages").get(0);
        assertTrue(chain.startsWith("sha256 → ") && chain.endsWith(" → sha256"), chain);
        assertEquals(pipeline.stages().size(), chain.split(" → ").length);
        long runs = count(demoFile, "SELECT count(*) FROM pipeline_runs WHERE pipeline_id = '" + pipeline.id() + "'");
        assertEquals(runs, pipelines.longColumn("runs").get(0));
        assertEquals(ColumnType.DOUBLE, pipelines.column("throughput_bytes_per_s").type());
    }

    @Test
    void stagesAndConfigOfOnePipeline() {
        Pipeline pipeline = session.db().pipelines().listIncludingArchived().get(0);
        Table stages = session.stages(pipeline.name());
        assertEquals(pipeline.stages().size(), stages.rowCount());
        assertEquals("input_checksum", stages.stringColumn("name").get(0));
        assertEquals(pipeline.stages().get(1).algorithm(), stages.stringColumn("algorithm").get(1));
        Table config = session.config(pipeline.id());
        assertEquals(pipeline.configuration().size(), config.rowCount());
        assertThrows(NotFoundException.class, () -> session.stages("no such pipeline"));
    }

    @Test
    void runsOfAPipelineFollowTheQuery() throws Exception {
        Pipeline pipeline = session.db().pipelines().listIncludingArchived().get(0);
        Table failed = session.runs(pipeline.name(), RunQuery.all().status(RunStatus.FAILED).page(0, 1000));
        long expected = count(demoFile, "SELECT count(*) FROM pipeline_runs WHERE status = 'failed' AND pipeline_id = '"
                + pipeline.id() + "'");
        assertEquals(expected, failed.rowCount());
        assertTrue(failed.stringColumn("status").asList().stream().allMatch("failed"::equals));
        Table all = session.runs();
        assertTrue(all.rowCount() > 0);
        assertTrue(all.stringColumn("source").asList().contains("pipescope"));
    }

    @Test
    void allRunsIsTheWholeHistoryInDeclaredTypes() throws Exception {
        Table all = session.allRuns();
        long pipescopeRuns = count(demoFile, "SELECT count(*) FROM pipeline_runs");
        assertEquals(session.db().runs().unified(dev.pipescope.domain.RunFilter.everything()).size(), all.rowCount());
        Table own = all.where(all.stringColumn("source").isEqualTo("pipescope"));
        assertEquals(pipescopeRuns, own.rowCount());
        assertEquals(count(demoFile, "SELECT sum(duration_ms) FROM pipeline_runs"), (long) own.longColumn("duration_ms").sum());
        assertEquals(count(demoFile, "SELECT count(*) FROM pipeline_runs WHERE duration_ms IS NULL"),
                own.longColumn("duration_ms").countMissing());
        assertEquals(count(demoFile, "SELECT count(*) FROM pipeline_runs WHERE finished_at IS NULL"),
                own.instantColumn("finished_at").countMissing());
        assertEquals(count(demoFile, "SELECT count(*) FROM pipeline_runs WHERE error_message IS NOT NULL"),
                (long) own.rowCount() - own.stringColumn("error").countMissing());
        assertEquals(count(demoFile, "SELECT sum(bytes_processed) FROM pipeline_runs"),
                (long) own.doubleColumn("bytes_processed").sum());
        var starts = own.instantColumn("started_at").asList();
        for (int i = 1; i < starts.size(); i++) {
            assertFalse(starts.get(i).isAfter(starts.get(i - 1)), "newest first at row " + i);
        }
        assertEquals(count(demoFile, "SELECT count(DISTINCT id) FROM pipeline_runs"),
                own.stringColumn("id").unique().size());
        assertEquals(session.runs().rowCount(), Math.min(1000, all.rowCount()));
    }

    @Test
    void statsAndMetricsPerPipeline() throws Exception {
        Table stats = session.stats();
        assertEquals(count(demoFile, "SELECT count(*) FROM pipelines"), stats.rowCount());
        assertEquals(count(demoFile, "SELECT count(*) FROM pipeline_runs"), (long) stats.longColumn("runs").sum());
        assertEquals(count(demoFile, "SELECT count(*) FROM processing_metrics"), session.metrics().rowCount());
    }

    @Test
    void dagsSnapshotsTreeAndDiff() throws Exception {
        Table dags = session.dags();
        assertEquals(session.db().dags().dagIds().size(), dags.rowCount());
        String dag = session.db().dags().dagIds().get(0);
        List<SnapshotInfo> infos = session.db().dags().listSnapshots(dag);
        assertEquals(infos.size(), session.snapshots(dag).rowCount());
        Table latest = session.snapshot(dag);
        assertEquals(session.db().dags().loadLatestSnapshot(dag).orElseThrow().size(), latest.rowCount());
        assertEquals(List.of("node", "key", "type", "value", "json"), latest.columnNames());
        Table tree = session.tree(dag);
        assertEquals(session.db().dags().loadExecutionTree(dag).orElseThrow().nodes().size(), tree.rowCount());
        assertTrue(tree.stringColumn("status").asList().stream().allMatch(s -> List.of("succeeded", "failed", "retried").contains(s)));
        if (infos.size() >= 2) {
            long a = infos.get(0).id();
            long b = infos.get(infos.size() - 1).id();
            Table diff = session.diff(dag, a, b);
            var before = session.db().dags().loadSnapshot(dag, a).orElseThrow();
            var after = session.db().dags().loadSnapshot(dag, b).orElseThrow();
            for (var row : diff) {
                String node = row.getString("node");
                String key = row.getString("key");
                switch (row.getString("change")) {
                    case "added" -> assertTrue(before.get(node, key).isEmpty() && after.get(node, key).isPresent());
                    case "removed" -> assertTrue(before.get(node, key).isPresent() && after.get(node, key).isEmpty());
                    default -> assertFalse(before.get(node, key).equals(after.get(node, key)));
                }
            }
            assertEquals(0, session.diff(dag, a, a).rowCount());
        }
    }

    @Test
    void fixturesOpenReadOnlyAndShowTheirTools(@TempDir Path temp) throws Exception {
        Path dagger = Fixtures.copy("dagger_cache.db", temp);
        String hash = Fixtures.sha256(dagger);
        try (NotebookSession fixture = new NotebookSession()) {
            fixture.open(dagger);
            assertTrue(fixture.db().readOnly(), "a file Pipescope did not create opens read-only");
            String dag = fixture.db().dags().dagIds().get(0);
            Table artifacts = fixture.artifacts(dag);
            assertEquals(count(dagger, "SELECT count(*) FROM artifacts WHERE dag_id = '" + dag + "'"), artifacts.rowCount());
            Table tree = fixture.tree(fixture.db().dags().loadExecutionTree(dag).isPresent() ? dag
                    : fixture.db().dags().dagIds().stream().filter(d -> fixture.db().dags().loadExecutionTree(d).isPresent()).findFirst().orElseThrow());
            assertTrue(tree.rowCount() > 0);
            assertThrows(LayoutNotPresentException.class, fixture::jobs);
        }
        assertEquals(hash, Fixtures.sha256(dagger));

        Path hyperpage = Fixtures.copy("hyperpage.db", temp);
        try (NotebookSession fixture = new NotebookSession()) {
            fixture.openReadOnly(hyperpage);
            assertEquals(count(hyperpage, "SELECT count(*) FROM jobs"), fixture.jobs().rowCount());
        }
        Path adaptive = Fixtures.copy("adaptive_pipeline.db", temp);
        try (NotebookSession fixture = new NotebookSession()) {
            fixture.open(adaptive);
            assertEquals(count(adaptive, "SELECT count(*) FROM pipelines"), fixture.pipelines().rowCount());
            assertEquals(count(adaptive, "SELECT count(*) FROM processing_metrics"), fixture.metrics().rowCount());
        }
    }

    @Test
    void archivedPipelinesOpenByNameAndTheirStagesSayTheyAreArchived(@TempDir Path temp) throws Exception {
        Path file = Fixtures.copy("adaptive_pipeline.db", temp);
        try (NotebookSession session = new NotebookSession()) {
            session.open(file);
            Table stages = session.stages("secure-backups");
            assertTrue(stages.name().contains("secure-backups (archived)"), stages.name());
            assertEquals(count(file, "SELECT count(*) FROM pipeline_stages s JOIN pipelines p ON p.id = s.pipeline_id "
                    + "WHERE p.name = 'secure-backups'"), stages.rowCount());
            assertTrue(stages.booleanColumn("archived").isFalse().isEmpty() && stages.rowCount() > 0, stages.print());
            Table config = session.config("secure-backups");
            assertEquals(count(file, "SELECT count(*) FROM pipeline_configuration c JOIN pipelines p ON p.id = c.pipeline_id "
                    + "WHERE p.name = 'secure-backups'"), config.rowCount());
            assertThrows(dev.pipescope.error.NotFoundException.class, () -> session.stages("no-such-pipeline"));
        }
        // upstream's restore un-archives the pipeline row only: the stages table shows its stages still archived
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file)) {
            c.createStatement().execute("UPDATE pipelines SET archived = 0 WHERE name = 'secure-backups'");
        }
        try (NotebookSession session = new NotebookSession()) {
            session.open(file);
            Table stages = session.stages("secure-backups");
            assertFalse(stages.name().contains("(archived)"), stages.name());
            assertTrue(stages.booleanColumn("archived").isFalse().isEmpty() && stages.rowCount() > 0, stages.print());
        }
    }

    @Test
    void anEtlJobsComponentGraphAndSchedulesShowAsEtlCoreKeepsThem(@TempDir Path temp) throws Exception {
        Path etl = Fixtures.copy("real/etl_core.db", temp);
        try (NotebookSession session = new NotebookSession()) {
            session.open(etl);
            Table components = session.etlComponents("orders_csv_to_csv");
            assertEquals(java.util.List.of("reader", "writer"), components.stringColumn("name").asList());
            String svg = session.etlGraph("orders_csv_to_csv").svg();
            assertTrue(svg.contains("reader") && svg.contains("writer") && svg.contains("out → in"), svg);
            Table schedules = session.etlSchedules();
            assertEquals(count(etl, "SELECT count(*) FROM scheduletable"), schedules.rowCount());
            assertEquals("orders_csv_to_csv", schedules.stringColumn("job").get(0));
            assertThrows(dev.pipescope.error.NotFoundException.class, () -> session.etlGraph("no-such-job"));
        }
    }

    @Test
    void etlExecutionsAndJobsOfTheEtlFixture(@TempDir Path temp) throws Exception {
        Path etl = Fixtures.copy("etl_core.db", temp);
        try (NotebookSession fixture = new NotebookSession()) {
            fixture.open(etl);
            long executions = count(etl, "SELECT count(*) FROM executiontable");
            Table all = fixture.executions(dev.pipescope.domain.EtlExecutionQuery.all().limit(10_000));
            assertEquals(executions, all.rowCount());
            long failed = count(etl, "SELECT count(*) FROM executiontable WHERE status = 'FAILED'");
            assertEquals(failed, fixture.executions(dev.pipescope.domain.EtlExecutionQuery.all().status("FAILED").limit(10_000))
                    .rowCount());
            assertEquals(count(etl, "SELECT count(*) FROM executionattempttable"), (long) all.intColumn("attempts").sum());
            String someJob = all.stringColumn("job_id").get(0);
            String name = fixture.db().etl().job(someJob).orElseThrow().name();
            assertEquals(name, all.stringColumn("job").get(0));
            assertEquals(count(etl, "SELECT count(*) FROM jobtable"), fixture.etlJobs().rowCount());
            assertThrows(LayoutNotPresentException.class, fixture::dags);
            assertTrue(fixture.describe().contains("naive timestamps (etl-core writes local time without a zone) read in "
                    + java.time.ZoneId.systemDefault()), fixture.describe());
        }
    }

    @Test
    void noDatabaseAndABadEnvironmentFileSayWhatToDo(@TempDir Path temp) {
        try (NotebookSession empty = new NotebookSession()) {
            var e = assertThrows(InvalidArgumentException.class, empty::pipelines);
            assertTrue(e.getMessage().contains("open(path)"), e.getMessage());
        }
        try (NotebookSession broken = NotebookSession.fromEnvironment(Map.of("PIPESCOPE_DB", temp.resolve("missing.db").toString()))) {
            var e = assertThrows(InvalidArgumentException.class, broken::pipelines);
            assertTrue(e.getMessage().contains("PIPESCOPE_DB"), e.getMessage());
        }
    }

    @Test
    void picturesOfTreesAndPipelines() {
        String dag = session.db().dags().dagIds().get(0);
        var tree = session.db().dags().loadExecutionTree(dag).orElseThrow();
        Chart graph = session.graph(dag);
        assertTrue(graph.svg().startsWith("<svg"), graph.svg());
        assertEquals(tree.nodes().size(), count(graph.svg(), "<g class=\"node\">"));
        assertEquals(tree.edges().size(), count(graph.svg(), "<polyline"));
        assertEquals(tree.failed().size(), count(graph.svg(), "fill=\"#f8b4b4\""));
        Pipeline pipeline = session.db().pipelines().listIncludingArchived().get(0);
        Chart diagram = session.pipelineDiagram(pipeline.name());
        assertEquals(pipeline.stages().size(), count(diagram.svg(), "<g class=\"node\">"));
        assertEquals(pipeline.stages().size() - 1, count(diagram.svg(), "<polyline"));
    }

    static long count(String text, String needle) {
        long n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }
}
