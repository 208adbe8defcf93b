package dev.pipescope.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.domain.DagCache;
import dev.pipescope.domain.DagSummary;
import dev.pipescope.domain.ExecutionTree;
import dev.pipescope.domain.Job;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineRun;
import dev.pipescope.domain.PipelineStage;
import dev.pipescope.domain.ProcessingMetrics;
import dev.pipescope.domain.Run;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunQuery;
import dev.pipescope.domain.RunStats;
import dev.pipescope.domain.SnapshotInfo;
import dev.pipescope.domain.TreeEdge;
import dev.pipescope.domain.TreeNode;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.LayoutNotPresentException;
import dev.pipescope.error.NotFoundException;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The state behind the notebook helpers: the current database and display settings. One per kernel
 * (or jshell) session; the integration's startup code makes it and the helper methods delegate to it.
 *
 * <p>{@link #open(Path)} opens a file read-write only if Pipescope made it (its layouts include
 * {@link Layout#PIPESCOPE}); any other tool's file is opened read-only, so looking never changes it.
 */
public final class NotebookSession implements AutoCloseable {

    /** Longest value text in snapshot and artifact tables ({@code json} keeps it whole). */
    static final int COMPACT_VALUE_CHARS = 60;

    private PipescopeDatabase db;
    /** Why PIPESCOPE_DB could not be opened, reported when a helper first needs the database. */
    private RuntimeException environmentFailure;
    private int maxRows = TableRenderer.DEFAULT_MAX_ROWS;

    public NotebookSession() {
    }

    /** A session on {@code PIPESCOPE_DB} if set, else with no database yet. */
    public static NotebookSession fromEnvironment(Map<String, String> environment) {
        NotebookSession session = new NotebookSession();
        session.openEnvironmentDatabase(environment);
        return session;
    }

    /**
     * Opens {@code PIPESCOPE_DB} if the environment names one. A file that cannot be opened is not an
     * error here (the kernel must still start); the first helper that needs the database reports why.
     */
    void openEnvironmentDatabase(Map<String, String> environment) {
        String file = environment.get("PIPESCOPE_DB");
        if (file != null && !file.isBlank()) {
            try {
                use(openByOwner(Path.of(file)), false);
            } catch (RuntimeException e) {
                environmentFailure = e;
            }
        }
    }

    public static NotebookSession fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    // ---- current database ----

    /** Opens {@code path} (read-write only if Pipescope created it), makes it current and describes it. */
    public String open(Path path) {
        return use(openByOwner(path));
    }

    public String openReadOnly(Path path) {
        return use(Pipescope.openReadOnly(path));
    }

    /** Makes an already open database current; the session closes it when it is replaced or closed. */
    public String use(PipescopeDatabase database) {
        return use(database, true);
    }

    private String use(PipescopeDatabase database, boolean describe) {
        PipescopeDatabase previous = db;
        db = Objects.requireNonNull(database, "database");
        environmentFailure = null;
        if (previous != null && previous != database) {
            previous.close();
        }
        return describe ? describe() : "";
    }

    static PipescopeDatabase openByOwner(Path path) {
        PipescopeDatabase probe = Pipescope.openReadOnly(path);
        if (!probe.layouts().contains(Layout.PIPESCOPE)) {
            return probe;
        }
        probe.close();
        return Pipescope.open(path);
    }

    public PipescopeDatabase db() {
        if (db == null && environmentFailure != null) {
            throw new InvalidArgumentException("PIPESCOPE_DB could not be opened (" + environmentFailure.getMessage()
                    + "); call open(path) or openReadOnly(path)", environmentFailure);
        }
        if (db == null) {
            throw new InvalidArgumentException("no current database: call open(path) or openReadOnly(path) "
                    + "(or start the kernel with PIPESCOPE_DB set)");
        }
        return db;
    }

    public Optional<PipescopeDatabase> current() {
        return Optional.ofNullable(db);
    }

    /** What the current file holds: its layouts and how many rows the main tables have. */
    public String describe() {
        PipescopeDatabase d = db();
        StringBuilder out = new StringBuilder();
        out.append(d.path().map(Path::toString).orElse("(in memory)")).append(d.readOnly() ? " (read-only)" : " (read-write)")
                .append('\n').append("holds: ");
        out.append(String.join(", ", d.layouts().stream().sorted().map(k -> k.name() + " — " + k.description()).toList()))
                .append('\n');
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        if (has(Layout.ADAPTIVE_PIPELINE)) {
            counts.put("pipelines", (long) d.pipelines().listIncludingArchived().size());
            counts.put("processing_metrics", (long) d.metrics().list().size());
        }
        if (has(Layout.RUN_HISTORY)) {
            counts.put("pipeline_runs", d.runs().count(RunQuery.all()));
        }
        if (has(Layout.DAGGER)) {
            List<DagSummary> dags = d.dags().summary();
            counts.put("dags", (long) dags.size());
            counts.put("snapshots", dags.stream().mapToLong(DagSummary::snapshotCount).sum());
            counts.put("artifacts", dags.stream().mapToLong(DagSummary::artifactCount).sum());
        }
        if (has(Layout.HYPERPAGE)) {
            counts.put("jobs", d.hyperpage().jobs().countByStatus().values().stream().mapToLong(Long::longValue).sum());
        }
        counts.forEach((table, count) -> out.append("  ").append(table).append(": ").append(count).append('\n'));
        String text = out.toString();
        System.out.print(text);
        return text;
    }

    private boolean has(Layout layout) {
        return db().layouts().contains(layout);
    }

    private void require(Layout layout, String helper) {
        if (!has(layout)) {
            throw new LayoutNotPresentException(helper + " needs " + layout.description() + " tables, which "
                    + db().path().map(Path::toString).orElse("the current database") + " does not have (it holds "
                    + new TreeSet<>(db().layouts()) + ")");
        }
    }

    // ---- display settings ----

    /** Rows shown when a table renders without its own limit (first and last halves). */
    public int maxRows() {
        return maxRows;
    }

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

    // ---- pipelines ----

    public Pipeline pipeline(String nameOrId) {
        var repository = db().pipelines();
        return repository.findByName(nameOrId).or(() -> repository.findById(nameOrId))
                .orElseThrow(() -> new NotFoundException("no pipeline named or with id '" + nameOrId + "' in "
                        + db().path().map(Path::toString).orElse("the current database")));
    }

    /** One row per pipeline: stage chain, archived, latest run status, run counts and throughput. */
    public Table pipelines() {
        require(Layout.ADAPTIVE_PIPELINE, "pipelines()");
        List<Pipeline> all = new ArrayList<>(db().pipelines().listIncludingArchived());
        all.sort(Comparator.comparing(Pipeline::name));
        boolean runs = has(Layout.RUN_HISTORY);
        Map<String, RunStats> stats = new HashMap<>();
        Map<String, PipelineRun> latest = new HashMap<>();
        Map<String, ProcessingMetrics> metrics = new HashMap<>();
        db().metrics().list().forEach(m -> metrics.put(m.pipelineId(), m));
        for (Pipeline p : all) {
            if (runs) {
                stats.put(p.id(), db().runs().stats(p.id()));
                db().runs().list(RunQuery.all().pipeline(p.id()).page(0, 1)).stream().findFirst()
                        .ifPresent(r -> latest.put(p.id(), r));
            }
        }
        return new TableBuilder<Pipeline>("pipelines")
                .string("name", Pipeline::name)
                .string("stages", Pipeline::stageChain)
                .bool("archived", Pipeline::archived)
                .string("latest_status", p -> latest.containsKey(p.id()) ? latest.get(p.id()).status().dbValue() : null)
                .instant("latest_run_at", p -> latest.containsKey(p.id()) ? latest.get(p.id()).startedAt() : null)
                .longs("runs", p -> stats.containsKey(p.id()) ? stats.get(p.id()).count() : null)
                .doubles("success_rate", p -> stats.containsKey(p.id()) ? stats.get(p.id()).successRate() : null)
                .doubles("throughput_bytes_per_s", p -> stats.containsKey(p.id()) && stats.get(p.id()).meanThroughput() != null
                        ? stats.get(p.id()).meanThroughput()
                        : metrics.containsKey(p.id()) ? metrics.get(p.id()).throughputBytesPerSecond() : null)
                .instant("created_at", Pipeline::createdAt)
                .string("id", Pipeline::id)
                .build(all);
    }

    public Table stages(String pipeline) {
        Pipeline p = pipeline(pipeline);
        return new TableBuilder<PipelineStage>("stages of " + p.name())
                .ints("order", PipelineStage::stageOrder)
                .string("name", PipelineStage::name)
                .string("type", s -> s.stageType().dbValue())
                .string("algorithm", PipelineStage::algorithm)
                .bool("enabled", PipelineStage::enabled)
                .bool("parallel", PipelineStage::parallelProcessing)
                .longs("chunk_size_bytes", PipelineStage::chunkSize)
                .string("parameters", s -> s.sortedParameters().isEmpty() ? "" : s.sortedParameters().toString())
                .build(p.stages());
    }

    public Table config(String pipeline) {
        Pipeline p = pipeline(pipeline);
        return new TableBuilder<Map.Entry<String, String>>("configuration of " + p.name())
                .string("key", Map.Entry::getKey)
                .string("value", Map.Entry::getValue)
                .build(new TreeMap<>(p.configuration()).entrySet());
    }

    /** Processing metrics: one row per pipeline (its latest run, as the adaptive pipeline keeps them). */
    public Table metrics() {
        require(Layout.ADAPTIVE_PIPELINE, "metrics()");
        Map<String, String> names = pipelineNames();
        List<ProcessingMetrics> rows = new ArrayList<>(db().metrics().list());
        rows.sort(Comparator.comparing(m -> names.getOrDefault(m.pipelineId(), m.pipelineId())));
        return new TableBuilder<ProcessingMetrics>("metrics")
                .string("pipeline", m -> names.getOrDefault(m.pipelineId(), m.pipelineId()))
                .longs("bytes_processed", ProcessingMetrics::bytesProcessed)
                .longs("bytes_total", ProcessingMetrics::bytesTotal)
                .doubles("progress", m -> m.progress().orElse(null))
                .longs("chunks_processed", ProcessingMetrics::chunksProcessed)
                .instant("start", ProcessingMetrics::startTime)
                .instant("end", ProcessingMetrics::endTime)
                .longs("duration_ms", m -> m.duration().map(java.time.Duration::toMillis).orElse(null))
                .doubles("throughput_bytes_per_s", ProcessingMetrics::throughputBytesPerSecond)
                .doubles("compression_ratio", ProcessingMetrics::compressionRatio)
                .longs("errors", ProcessingMetrics::errorCount)
                .longs("warnings", ProcessingMetrics::warningCount)
                .build(rows);
    }

    private Map<String, String> pipelineNames() {
        Map<String, String> names = new HashMap<>();
        if (has(Layout.ADAPTIVE_PIPELINE)) {
            db().pipelines().listIncludingArchived().forEach(p -> names.put(p.id(), p.name()));
        }
        return names;
    }

    // ---- runs ----

    /** Every run the file knows of, from every tool (Pipescope runs, Hyperpage jobs, ETL, dagger), newest first. */
    public Table runs() {
        return runs(RunFilter.capped());
    }

    /** Runs across every source the file holds that match {@code filter}, newest first. */
    public Table runs(RunFilter filter) {
        return RunColumnsTable.read("runs", batches -> db().runs().unifiedColumns(filter, batches));
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
        require(Layout.RUN_HISTORY, "runs(pipeline)");
        Pipeline p = pipeline(pipeline);
        List<PipelineRun> runs = db().runs().list(query.pipeline(p.id()));
        return new TableBuilder<PipelineRun>("runs of " + p.name())
                .string("pipeline", r -> p.name())
                .string("status", r -> r.status().dbValue())
                .ints("attempt", PipelineRun::attempt)
                .instant("started_at", PipelineRun::startedAt)
                .instant("finished_at", PipelineRun::finishedAt)
                .longs("duration_ms", PipelineRun::durationMs)
                .longs("bytes_processed", r -> r.measures().bytesProcessed())
                .longs("bytes_total", r -> r.measures().bytesTotal())
                .doubles("throughput_bytes_per_s", r -> r.measures().throughputBytesPerSecond())
                .doubles("compression_ratio", r -> r.measures().compressionRatio())
                .string("error", PipelineRun::errorMessage)
                .string("id", PipelineRun::id)
                .build(runs);
    }

    /** Run statistics per pipeline: counts by outcome, success rate, p50/p95 duration, throughput. */
    public Table stats() {
        require(Layout.RUN_HISTORY, "stats()");
        require(Layout.ADAPTIVE_PIPELINE, "stats()");
        List<Pipeline> all = new ArrayList<>(db().pipelines().listIncludingArchived());
        all.sort(Comparator.comparing(Pipeline::name));
        List<Map.Entry<String, RunStats>> rows = new ArrayList<>();
        for (Pipeline p : all) {
            rows.add(Map.entry(p.name(), db().runs().stats(p.id())));
        }
        return new TableBuilder<Map.Entry<String, RunStats>>("stats")
                .string("pipeline", Map.Entry::getKey)
                .longs("runs", e -> e.getValue().count())
                .longs("running", e -> e.getValue().running())
                .longs("succeeded", e -> e.getValue().succeeded())
                .longs("failed", e -> e.getValue().failed())
                .longs("cancelled", e -> e.getValue().cancelled())
                .doubles("success_rate", e -> e.getValue().successRate())
                .longs("p50_duration_ms", e -> e.getValue().p50DurationMs())
                .longs("p95_duration_ms", e -> e.getValue().p95DurationMs())
                .doubles("throughput_mean", e -> e.getValue().meanThroughput())
                .doubles("throughput_best", e -> e.getValue().bestThroughput())
                .build(rows);
    }

    // ---- DAGs ----

    public Table dags() {
        require(Layout.DAGGER, "dags()");
        return new TableBuilder<DagSummary>("dags")
                .string("dag", DagSummary::dagId)
                .longs("artifacts", DagSummary::artifactCount)
                .longs("tree_bytes", s -> s.treeBytes().isPresent() ? s.treeBytes().getAsLong() : null)
                .longs("snapshots", DagSummary::snapshotCount)
                .longs("snapshot_bytes", DagSummary::snapshotBytes)
                .string("state", s -> s.stateBytes().isEmpty() ? "" : new TreeMap<>(s.stateBytes()).keySet().toString())
                .build(db().dags().summary());
    }

    public Table snapshots(String dag) {
        require(Layout.DAGGER, "snapshots(dag)");
        return new TableBuilder<SnapshotInfo>("snapshots of " + dag)
                .longs("id", SnapshotInfo::id)
                .instant("created_at", s -> s.createdAt().orElse(null))
                .longs("compressed_bytes", SnapshotInfo::compressedBytes)
                .longs("raw_bytes", s -> s.rawBytes().isPresent() ? s.rawBytes().getAsLong() : null)
                .longs("nodes", s -> s.nodeCount().isPresent() ? (long) s.nodeCount().getAsInt() : null)
                .string("problem", s -> s.problem().orElse(null))
                .build(db().dags().listSnapshots(dag));
    }

    /** The latest snapshot of {@code dag}: one row per node and key. */
    public Table snapshot(String dag) {
        require(Layout.DAGGER, "snapshot(dag)");
        DagCache cache = db().dags().loadLatestSnapshot(dag)
                .orElseThrow(() -> new NotFoundException("DAG '" + dag + "' has no snapshot (DAGs: " + db().dags().dagIds() + ")"));
        return cacheTable("snapshot of " + dag, cache);
    }

    public Table snapshot(String dag, long id) {
        return cacheTable("snapshot " + id + " of " + dag, loadSnapshot(dag, id));
    }

    private DagCache loadSnapshot(String dag, long id) {
        require(Layout.DAGGER, "snapshot(dag, id)");
        return db().dags().loadSnapshot(dag, id).orElseThrow(() -> new NotFoundException("DAG '" + dag
                + "' has no snapshot " + id + " (snapshots: "
                + db().dags().listSnapshots(dag).stream().map(SnapshotInfo::id).toList() + ")"));
    }

    /** The artifacts dagger holds for {@code dag} now: one row per node and key. */
    public Table artifacts(String dag) {
        require(Layout.DAGGER, "artifacts(dag)");
        return cacheTable("artifacts of " + dag, db().dags().loadCache(dag));
    }

    private static Table cacheTable(String name, DagCache cache) {
        List<String[]> rows = new ArrayList<>();
        cache.entries().forEach((node, keys) -> keys.forEach((key, value) ->
                rows.add(new String[] {node, key, typeOf(value), compact(value), value.toString()})));
        return new TableBuilder<String[]>(name)
                .string("node", r -> r[0])
                .string("key", r -> r[1])
                .string("type", r -> r[2])
                .string("value", r -> r[3])
                .string("json", r -> r[4])
                .build(rows);
    }

    static String typeOf(JsonNode value) {
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A value in one short line: scalars as they are, containers cut with their size noted. */
    static String compact(JsonNode value) {
        String text = value.isTextual() ? value.textValue() : value.toString();
        if (text.length() <= COMPACT_VALUE_CHARS) {
            return text;
        }
        String size = value.isArray() ? " (" + value.size() + " items)" : value.isObject() ? " (" + value.size() + " keys)" : "";
        return text.substring(0, COMPACT_VALUE_CHARS - 1) + "…" + size;
    }

    /** The execution tree of {@code dag}: one row per executed node. */
    public Table tree(String dag) {
        ExecutionTree tree = executionTree(dag);
        return new TableBuilder<TreeNode>("tree of " + dag)
                .ints("index", TreeNode::index)
                .string("node", TreeNode::nodeId)
                .string("status", NotebookSession::outcome)
                .ints("retries", n -> n.retryMessages().size())
                .string("error", n -> n.finalError().orElse(null))
                .instant("time", n -> n.timestamp().toInstant(ZoneOffset.UTC))
                .string("cache_ref", TreeNode::cacheRef)
                .build(tree.nodes());
    }

    ExecutionTree executionTree(String dag) {
        require(Layout.DAGGER, "tree(dag)");
        return db().dags().loadExecutionTree(dag).orElseThrow(() -> new NotFoundException("DAG '" + dag
                + "' has no execution tree (DAGs: " + db().dags().dagIds() + ")"));
    }

    static String outcome(TreeNode node) {
        if (!node.success()) {
            return "failed";
        }
        return node.retryMessages().isEmpty() ? "succeeded" : "retried";
    }

    /** What changed from snapshot {@code a} to snapshot {@code b}: added, removed and changed values. */
    public Table diff(String dag, long a, long b) {
        DagCache before = loadSnapshot(dag, a);
        DagCache after = loadSnapshot(dag, b);
        List<String[]> rows = new ArrayList<>();
        TreeSet<String> nodes = new TreeSet<>(before.nodeIds());
        nodes.addAll(after.nodeIds());
        for (String node : nodes) {
            SortedMap<String, JsonNode> was = before.entries().getOrDefault(node, new TreeMap<>());
            SortedMap<String, JsonNode> now = after.entries().getOrDefault(node, new TreeMap<>());
            TreeSet<String> keys = new TreeSet<>(was.keySet());
            keys.addAll(now.keySet());
            for (String key : keys) {
                JsonNode old = was.get(key);
                JsonNode fresh = now.get(key);
                if (old == null) {
                    rows.add(new String[] {node, key, "added", null, compact(fresh)});
                } else if (fresh == null) {
                    rows.add(new String[] {node, key, "removed", compact(old), null});
                } else if (!old.equals(fresh)) {
                    rows.add(new String[] {node, key, "changed", compact(old), compact(fresh)});
                }
            }
        }
        return new TableBuilder<String[]>("diff of " + dag + " " + a + " → " + b)
                .string("node", r -> r[0])
                .string("key", r -> r[1])
                .string("change", r -> r[2])
                .string("before", r -> r[3])
                .string("after", r -> r[4])
                .build(rows);
    }

    // ---- Hyperpage jobs ----

    public Table jobs() {
        require(Layout.HYPERPAGE, "jobs()");
        return new TableBuilder<Job>("jobs")
                .string("id", Job::id)
                .string("name", Job::name)
                .string("type", Job::type)
                .string("status", j -> j.status().name().toLowerCase(java.util.Locale.ROOT))
                .ints("priority", Job::priority)
                .string("tool", Job::tool)
                .instant("created_at", Job::createdAt)
                .instant("started_at", Job::startedAt)
                .instant("completed_at", Job::completedAt)
                .longs("duration_ms", j -> j.startedAt() != null && j.completedAt() != null
                        ? java.time.Duration.between(j.startedAt(), j.completedAt()).toMillis() : null)
                .ints("retries", Job::retryCount)
                .build(db().hyperpage().jobs().list(RunFilter.DEFAULT_LIMIT));
    }

    // ---- SQL ----

    /** Runs one SQL statement on the current database; {@code :name} parameters come from {@code parameters}. */
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
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(String.valueOf(namesAndValues[i]), namesAndValues[i + 1]);
        }
        return map;
    }

    /** The {@code :name} parameters a statement uses, in order of first use. */
    public static List<String> parameterNames(String sql) {
        return SqlRunner.parameters(sql).names().stream().distinct().toList();
    }

    // ---- pictures ----

    /** The execution tree of {@code dag} laid out by ELK, nodes coloured by outcome, edges labelled. */
    public Chart graph(String dag) {
        ExecutionTree tree = executionTree(dag);
        List<GraphLayout.Box> boxes = new ArrayList<>();
        Map<Integer, Integer> position = new HashMap<>();
        for (TreeNode node : tree.nodes()) {
            position.put(node.index(), boxes.size());
            String outcome = outcome(node);
            String fill = switch (outcome) {
                case "failed" -> "#f8b4b4";
                case "retried" -> "#fde68a";
                default -> "#bbf7d0";
            };
            String stroke = switch (outcome) {
                case "failed" -> "#b91c1c";
                case "retried" -> "#b45309";
                default -> "#15803d";
            };
            int retries = node.retryMessages().size();
            String sub = outcome + (retries == 0 ? "" : ", " + retries + (retries == 1 ? " retry" : " retries"));
            String tip = node.nodeId() + ": " + outcome + node.finalError().map(e -> " — " + e).orElse("");
            boxes.add(new GraphLayout.Box(node.nodeId(), sub, fill, stroke, tip));
        }
        List<GraphLayout.Arrow> arrows = new ArrayList<>();
        for (TreeEdge edge : tree.edges()) {
            arrows.add(new GraphLayout.Arrow(position.get(edge.source()), position.get(edge.target()), edge.label()));
        }
        String title = "Execution tree of " + dag;
        return new Chart(title, GraphLayout.draw(title, boxes, arrows, false));
    }

    /** The stage chain of a pipeline, left to right. */
    public Chart pipelineDiagram(String pipeline) {
        Pipeline p = pipeline(pipeline);
        List<GraphLayout.Box> boxes = new ArrayList<>();
        List<GraphLayout.Arrow> arrows = new ArrayList<>();
        for (PipelineStage stage : p.stages()) {
            String fill = stage.enabled() ? "#dbeafe" : "#e5e7eb";
            boxes.add(new GraphLayout.Box(stage.algorithm(), stage.stageType().dbValue() + " · " + stage.name(), fill,
                    "#1d4ed8", stage.name() + " (" + stage.stageType().dbValue() + ")"
                            + (stage.enabled() ? "" : " disabled")));
            if (boxes.size() > 1) {
                arrows.add(new GraphLayout.Arrow(boxes.size() - 2, boxes.size() - 1, null));
            }
        }
        String title = "Pipeline " + p.name() + (p.archived() ? " (archived)" : "");
        return new Chart(title, GraphLayout.draw(title, boxes, arrows, true));
    }

    @Override
    public void close() {
        PipescopeDatabase current = db;
        db = null;
        if (current != null) {
            current.close();
        }
    }
}
