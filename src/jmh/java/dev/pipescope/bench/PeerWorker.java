package dev.pipescope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.Zstd;
import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.demo.DagDemo;
import dev.pipescope.domain.PipelineRun;
import dev.pipescope.domain.RunMeasures;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.domain.Timestamps;
import dev.pipescope.notebook.NotebookSession;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;

/**
 * The Java side of the peer benchmark ({@code bench/peers.py} starts it once and keeps it running, so
 * JVM start-up and JIT warm-up are never part of a measurement; the orchestrator also sends one
 * untimed warm-up request per system and workload). Systems: {@code pipescope} (the library and its
 * notebook helpers, as a user calls them), {@code jdbc} (sqlite-jdbc by hand with the statements in
 * {@code bench/sql}) and {@code zstd-jackson} (snapshots decoded by hand).
 *
 * <p>Protocol: JSON lines. First {@code {"ready": true, "versions": {...}}}; then per request
 * {@code {"workload", "system", "db", "args"}} one answer {@code {"seconds", "check"}} or
 * {@code {"error"}}; {@code {"quit": true}} ends it. {@code check} holds figures every system of a
 * workload must agree on, so the orchestrator can tell that they all did the same work.
 *
 * <p>{@code java -cp target/benchmarks.jar dev.pipescope.bench.PeerWorker BENCH_SQL_DIR}
 */
public final class PeerWorker {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path sqlDir;
    /** Sessions stay open between requests: a notebook opens its file once, then asks many questions. */
    private final Map<Path, NotebookSession> sessions = new HashMap<>();

    private PeerWorker(Path sqlDir) {
        this.sqlDir = sqlDir;
    }

    public static void main(String[] args) throws Exception {
        var worker = new PeerWorker(Path.of(args.length > 0 ? args[0] : "bench/sql"));
        // the protocol owns stdout; anything the library prints goes to stderr
        var protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        var ready = JSON.createObjectNode().put("ready", true);
        var versions = ready.putObject("versions");
        versions.put("java", System.getProperty("java.version"));
        try (var c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            versions.put("sqlite_jdbc", c.getMetaData().getDriverVersion());
            versions.put("sqlite_library", c.getMetaData().getDatabaseProductVersion());
        }
        protocol.println(ready);
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode request;
            try {
                request = JSON.readTree(line);
            } catch (Exception e) {
                protocol.println(JSON.createObjectNode().put("error", "not JSON: " + line));
                continue;
            }
            if (request.path("quit").asBoolean(false)) {
                break;
            }
            try {
                protocol.println(worker.handle(request));
            } catch (Exception | OutOfMemoryError e) {
                e.printStackTrace(System.err);
                protocol.println(JSON.createObjectNode().put("error", e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        }
        worker.sessions.values().forEach(NotebookSession::close);
    }

    private ObjectNode handle(JsonNode request) throws Exception {
        var workload = request.path("workload").asText();
        var system = request.path("system").asText();
        var db = Path.of(request.path("db").asText()).toAbsolutePath();
        var args = request.path("args");
        if (!workload.equals("prepare_dag") && !Files.isRegularFile(db)) {
            throw new IllegalArgumentException("no database at " + db);
        }
        return switch (workload + "/" + system) {
            case "load_runs/pipescope" -> loadRunsPipescope(db);
            case "load_runs/jdbc" -> loadRunsJdbc(db);
            case "throughput_by_day/pipescope" -> throughputPipescope(db);
            case "throughput_by_day/jdbc" -> throughputJdbc(db);
            case "lookups/pipescope" -> lookupsPipescope(db, names(args));
            case "lookups/jdbc" -> lookupsJdbc(db, names(args));
            case "record_runs/pipescope" -> recordPipescope(db, args);
            case "record_runs/jdbc" -> recordJdbc(db, args);
            case "decode_snapshots/pipescope" -> decodePipescope(db, args.path("dag").asText());
            case "decode_snapshots/zstd-jackson" -> decodeByHand(db, args.path("dag").asText());
            case "compare_regressions/pipescope" -> compareRegressionsPipescope(db);
            case "counts_by_hour/pipescope" -> countsByHourPipescope(db);
            case "timeline/pipescope" -> timelinePipescope(db, args.path("runs").asInt(10_000));
            case "prepare_dag/pipescope" -> prepareDag(db, args.path("snapshots").asInt(1000), args.path("seed").asLong(7));
            default -> throw new IllegalArgumentException("no system '" + system + "' for workload '" + workload + "' here");
        };
    }

    private String sql(String file) throws java.io.IOException {
        return Files.readString(sqlDir.resolve(file));
    }

    private static ObjectNode result(long startNanos, long endNanos, ObjectNode check) {
        var node = JSON.createObjectNode();
        node.put("seconds", (endNanos - startNanos) / 1e9);
        node.set("check", check);
        return node;
    }

    private NotebookSession session(Path db) {
        return sessions.computeIfAbsent(db, file -> {
            var session = new NotebookSession();
            session.openReadOnly(file);
            return session;
        });
    }

    private static Connection readOnly(Path db) throws SQLException {
        var config = new org.sqlite.SQLiteConfig();
        config.setReadOnly(true);
        return DriverManager.getConnection("jdbc:sqlite:" + db, config.toProperties());
    }

    // ---- 1. every run into a table ------------------------------------------------------------

    private ObjectNode loadRunsPipescope(Path db) {
        var session = session(db);
        System.gc();
        long t0 = System.nanoTime();
        Table runs = session.allRuns();
        long t1 = System.nanoTime();
        // the checks cover Pipescope's own runs, the rows the other systems read (dagger's nodes are extra)
        Table own = runs.where(runs.stringColumn("source").isEqualTo("pipescope"));
        var check = JSON.createObjectNode();
        check.put("rows", own.rowCount());
        check.put("sum_duration_ms", (long) own.longColumn("duration_ms").sum());
        check.put("finished", own.rowCount() - own.instantColumn("finished_at").countMissing());
        check.put("max_started_ms", own.instantColumn("started_at").max().toEpochMilli());
        check.put("errors", own.rowCount() - own.stringColumn("error").countMissing());
        check.put("extra_rows_other_sources", runs.rowCount() - own.rowCount());
        return result(t0, t1, check);
    }

    /** Raw JDBC into arrays, timestamps parsed with the fastest parser at hand (Pipescope's). */
    private ObjectNode loadRunsJdbc(Path db) throws Exception {
        var text = sql("load_runs.sql");
        try (var c = readOnly(db)) {
            System.gc();
            long t0 = System.nanoTime();
            int capacity = 1 << 14;
            int n = 0;
            var pipeline = new String[capacity];
            var status = new String[capacity];
            var attempt = new int[capacity];
            var started = new long[capacity];
            var finished = new long[capacity];
            var duration = new long[capacity];
            var bytes = new long[capacity];
            var throughput = new double[capacity];
            var error = new String[capacity];
            var id = new String[capacity];
            try (var ps = c.prepareStatement(text); var rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (n == capacity) {
                        capacity *= 2;
                        pipeline = java.util.Arrays.copyOf(pipeline, capacity);
                        status = java.util.Arrays.copyOf(status, capacity);
                        attempt = java.util.Arrays.copyOf(attempt, capacity);
                        started = java.util.Arrays.copyOf(started, capacity);
                        finished = java.util.Arrays.copyOf(finished, capacity);
                        duration = java.util.Arrays.copyOf(duration, capacity);
                        bytes = java.util.Arrays.copyOf(bytes, capacity);
                        throughput = java.util.Arrays.copyOf(throughput, capacity);
                        error = java.util.Arrays.copyOf(error, capacity);
                        id = java.util.Arrays.copyOf(id, capacity);
                    }
                    pipeline[n] = rs.getString(1);
                    status[n] = rs.getString(2);
                    attempt[n] = rs.getInt(3);
                    started[n] = Timestamps.parse(rs.getString(4)).toEpochMilli();
                    var end = rs.getString(5);
                    finished[n] = end == null ? Long.MIN_VALUE : Timestamps.parse(end).toEpochMilli();
                    long d = rs.getLong(6);
                    duration[n] = rs.wasNull() ? Long.MIN_VALUE : d;
                    bytes[n] = rs.getLong(7);
                    throughput[n] = rs.getDouble(8);
                    error[n] = rs.getString(9);
                    id[n] = rs.getString(10);
                    n++;
                }
            }
            long t1 = System.nanoTime();
            var check = JSON.createObjectNode();
            long sum = 0;
            long finishedCount = 0;
            long maxStart = Long.MIN_VALUE;
            long errors = 0;
            for (int i = 0; i < n; i++) {
                sum += duration[i] == Long.MIN_VALUE ? 0 : duration[i];
                finishedCount += finished[i] == Long.MIN_VALUE ? 0 : 1;
                maxStart = Math.max(maxStart, started[i]);
                errors += error[i] == null ? 0 : 1;
            }
            check.put("rows", n);
            check.put("sum_duration_ms", sum);
            check.put("finished", finishedCount);
            check.put("max_started_ms", maxStart);
            check.put("errors", errors);
            return result(t0, t1, check);
        }
    }

    // ---- 2. throughput per pipeline per day ---------------------------------------------------

    private ObjectNode throughputPipescope(Path db) throws Exception {
        var session = session(db);
        var text = sql("throughput_by_day.sql");
        System.gc();
        long t0 = System.nanoTime();
        Table groups = session.sql(text);
        long t1 = System.nanoTime();
        var check = JSON.createObjectNode();
        check.put("groups", groups.rowCount());
        check.put("runs", sumAsLong((NumericColumn<?>) groups.column("runs")));
        check.put("bytes", sumAsLong((NumericColumn<?>) groups.column("bytes")));
        return result(t0, t1, check);
    }

    // ---- analysis: compare + regressions, counts by hour, a timeline -------------------------

    /** The last 7 days of data against the 7 before, then the regressions of the last 7 days against the 28 before. */
    private ObjectNode compareRegressionsPipescope(Path db) {
        var session = session(db);
        System.gc();
        long t0 = System.nanoTime();
        Table compared = session.compare(java.time.Duration.ofDays(7));
        Table found = session.regressions();
        long t1 = System.nanoTime();
        var check = JSON.createObjectNode();
        check.put("compare_rows", compared.rowCount());
        check.put("runs_a", sumAsLong((NumericColumn<?>) compared.column("runs_a")));
        check.put("runs_b", sumAsLong((NumericColumn<?>) compared.column("runs_b")));
        // equal only if both sides compute nearest-rank percentiles over the same runs
        check.put("sum_p95_b", sumAsLong((NumericColumn<?>) compared.column("p95_duration_ms_b (nearest rank)")));
        check.put("regressions", found.rowCount());
        return result(t0, t1, check);
    }

    /** Every Pipescope run read, then counted per hour and status with empty hours filled. */
    private ObjectNode countsByHourPipescope(Path db) {
        var session = session(db);
        System.gc();
        long t0 = System.nanoTime();
        Table runs = session.runs(dev.pipescope.domain.RunFilter.everything().source(dev.pipescope.domain.RunSource.PIPESCOPE));
        Table counts = NotebookSession.counts(runs, java.time.Duration.ofHours(1));
        long t1 = System.nanoTime();
        var check = JSON.createObjectNode();
        check.put("buckets", counts.rowCount());
        check.put("runs", sumAsLong(counts.longColumn("runs")));
        check.put("failed", sumAsLong(counts.longColumn("failed")));
        check.put("empty_buckets", counts.where(counts.longColumn("runs").isEqualTo(0)).rowCount());
        return result(t0, t1, check);
    }

    /** The newest {@code count} Pipescope runs read and drawn as a Gantt chart (SVG text). */
    private ObjectNode timelinePipescope(Path db, int count) {
        var session = session(db);
        System.gc();
        long t0 = System.nanoTime();
        Table runs = session.runs(dev.pipescope.domain.RunFilter.everything().source(dev.pipescope.domain.RunSource.PIPESCOPE)
                .limit(count));
        var chart = NotebookSession.timeline(runs);
        long t1 = System.nanoTime();
        var check = JSON.createObjectNode();
        check.put("runs", runs.rowCount());
        check.put("lanes", runs.stringColumn("pipeline").countUnique());
        check.put("failed", runs.where(runs.stringColumn("status").isEqualTo("failed")).rowCount());
        check.put("extra_svg_bytes", chart.svg().length());
        return result(t0, t1, check);
    }

    private static long sumAsLong(NumericColumn<?> column) {
        long sum = 0;
        for (int i = 0; i < column.size(); i++) {
            sum += (long) column.getDouble(i);
        }
        return sum;
    }

    private ObjectNode throughputJdbc(Path db) throws Exception {
        var text = sql("throughput_by_day.sql");
        try (var c = readOnly(db)) {
            System.gc();
            long t0 = System.nanoTime();
            var pipeline = new ArrayList<String>();
            var day = new ArrayList<String>();
            var runs = new ArrayList<Long>();
            var bytes = new ArrayList<Long>();
            var throughput = new ArrayList<Double>();
            try (var ps = c.prepareStatement(text); var rs = ps.executeQuery()) {
                while (rs.next()) {
                    pipeline.add(rs.getString(1));
                    day.add(rs.getString(2));
                    runs.add(rs.getLong(3));
                    bytes.add(rs.getLong(4));
                    throughput.add(rs.getDouble(6));
                }
            }
            long t1 = System.nanoTime();
            var check = JSON.createObjectNode();
            check.put("groups", pipeline.size());
            check.put("runs", runs.stream().mapToLong(Long::longValue).sum());
            check.put("bytes", bytes.stream().mapToLong(Long::longValue).sum());
            return result(t0, t1, check);
        }
    }

    // ---- 3. point lookups by name -------------------------------------------------------------

    private static List<String> names(JsonNode args) {
        var names = new ArrayList<String>();
        args.path("names").forEach(n -> names.add(n.asText()));
        if (names.isEmpty()) {
            throw new IllegalArgumentException("lookups needs args.names");
        }
        return names;
    }

    private final Map<Path, PipescopeDatabase> readOnlyDatabases = new HashMap<>();

    private ObjectNode lookupsPipescope(Path db, List<String> names) {
        var database = readOnlyDatabases.computeIfAbsent(db, Pipescope::openReadOnly);
        System.gc();
        long found = 0;
        long stages = 0;
        long t0 = System.nanoTime();
        for (var name : names) {
            var pipeline = database.pipelines().findByName(name);
            if (pipeline.isPresent()) {
                found++;
                stages += pipeline.get().stages().size();
            }
        }
        return lookupsResult(t0, System.nanoTime(), names.size(), found, stages);
    }

    private static ObjectNode lookupsResult(long t0, long t1, int lookups, long found, long stages) {
        return result(t0, t1, JSON.createObjectNode().put("lookups", lookups).put("found", found).put("stages", stages));
    }

    /** A pipeline as raw JDBC code would assemble it: plain objects, timestamps left as text. */
    record RawStage(String id, String name, String type, boolean enabled, int order, String algorithm,
                    boolean parallel, Long chunkSize, boolean archived, String createdAt, String updatedAt,
                    Map<String, String> parameters) {}

    record RawPipeline(String id, String name, boolean archived, String createdAt, String updatedAt,
                       List<RawStage> stages, Map<String, String> configuration) {}

    private ObjectNode lookupsJdbc(Path db, List<String> names) throws Exception {
        // the same statement text as Pipescope's findByName, its three :name bound positionally
        var text = sql("pipeline_by_name.sql").replace(":name", "?");
        try (var c = readOnly(db); var ps = c.prepareStatement(text)) {
            System.gc();
            long found = 0;
            long stages = 0;
            long t0 = System.nanoTime();
            for (var name : names) {
                ps.setString(1, name);
                ps.setString(2, name);
                ps.setString(3, name);
                RawPipeline pipeline = null;
                var stagesById = new LinkedHashMap<String, RawStage>();
                var configuration = new LinkedHashMap<String, String>();
                String[] head = null;
                boolean archived = false;
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        switch (rs.getInt(1)) {
                            case 0 -> {
                                head = new String[] {rs.getString(2), rs.getString(3), rs.getString(5), rs.getString(6)};
                                archived = rs.getBoolean(4);
                            }
                            case 1 -> {
                                var stageId = rs.getString(3);
                                var stage = stagesById.get(stageId);
                                if (stage == null) {
                                    long chunk = rs.getLong(10);
                                    stage = new RawStage(stageId, rs.getString(4), rs.getString(5), rs.getBoolean(6),
                                            rs.getInt(7), rs.getString(8), rs.getBoolean(9), rs.wasNull() ? null : chunk,
                                            rs.getBoolean(11), rs.getString(12), rs.getString(13), new LinkedHashMap<>());
                                    stagesById.put(stageId, stage);
                                }
                                var key = rs.getString(14);
                                if (key != null) {
                                    stage.parameters().put(key, rs.getString(15));
                                }
                            }
                            default -> configuration.put(rs.getString(3), rs.getString(4));
                        }
                    }
                }
                if (head != null) {
                    var ordered = new ArrayList<>(stagesById.values());
                    ordered.sort(java.util.Comparator.comparingInt(RawStage::order));
                    pipeline = new RawPipeline(head[0], head[1], archived, head[2], head[3], ordered, configuration);
                    found++;
                    stages += pipeline.stages().size();
                }
            }
            return lookupsResult(t0, System.nanoTime(), names.size(), found, stages);
        }
    }

    // ---- 4. record 100,000 runs ---------------------------------------------------------------

    /** Row {@code i} exactly as bench/pyworker.py builds it (see the spec in that file's record_runs). */
    private static List<PipelineRun> runsToRecord(JsonNode args) {
        int count = args.path("count").asInt();
        var pipelineIds = new ArrayList<String>();
        args.path("pipeline_ids").forEach(p -> pipelineIds.add(p.asText()));
        long startMs = args.path("start_ms").asLong();
        var prefix = args.path("prefix").asText();
        var runs = new ArrayList<PipelineRun>(count);
        for (int i = 0; i < count; i++) {
            long duration = 500 + (i * 37L) % 60_000;
            long bytes = 1_000_000 + (i * 7919L) % 50_000_000;
            long chunks = 1 + bytes / (1 << 20);
            var start = Instant.ofEpochMilli(startMs + i * 1000L);
            var end = start.plusMillis(duration);
            var measures = new RunMeasures(bytes, bytes, chunks, chunks, bytes * 1000.0 / duration, null, 0, 0,
                    bytes, bytes / 3, null, null);
            runs.add(new PipelineRun(String.format("%s%08d", prefix, i), pipelineIds.get(i % pipelineIds.size()),
                    RunStatus.SUCCEEDED, 1, start, end, end, duration, measures, null));
        }
        return runs;
    }

    private static ObjectNode recordedCheck(Path db, String prefix) throws SQLException {
        try (var c = readOnly(db); var ps = c.prepareStatement("SELECT COUNT(*) FROM pipeline_runs WHERE id LIKE ? || '%'")) {
            ps.setString(1, prefix);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return JSON.createObjectNode().put("rows_after", rs.getLong(1));
            }
        }
    }

    private ObjectNode recordPipescope(Path db, JsonNode args) throws Exception {
        var runs = runsToRecord(args);
        long t0;
        long t1;
        try (var database = Pipescope.open(db)) {
            System.gc();
            t0 = System.nanoTime();
            database.runs().recordAll(runs);
            t1 = System.nanoTime();
        }
        return result(t0, t1, recordedCheck(db, args.path("prefix").asText()));
    }

    private ObjectNode recordJdbc(Path db, JsonNode args) throws Exception {
        var runs = runsToRecord(args);
        var insert = "INSERT INTO pipeline_runs (id, pipeline_id, status, attempt, started_at, finished_at, updated_at,"
                + " duration_ms, bytes_processed, bytes_total, chunks_processed, chunks_total, throughput_bytes_per_second,"
                + " compression_ratio, error_count, warning_count, input_file_size_bytes, output_file_size_bytes,"
                + " input_file_checksum, output_file_checksum, error_message)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, NULL, NULL, NULL)";
        long t0;
        long t1;
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            try (var st = c.createStatement()) {
                st.execute("PRAGMA foreign_keys = ON");
            }
            System.gc();
            t0 = System.nanoTime();
            c.setAutoCommit(false);
            try (var ps = c.prepareStatement(insert)) {
                for (var run : runs) {
                    var m = run.measures();
                    ps.setString(1, run.id());
                    ps.setString(2, run.pipelineId());
                    ps.setString(3, run.status().dbValue());
                    ps.setInt(4, run.attempt());
                    ps.setString(5, Timestamps.format(run.startedAt()));
                    ps.setString(6, Timestamps.format(run.finishedAt()));
                    ps.setString(7, Timestamps.format(run.updatedAt()));
                    ps.setLong(8, run.durationMs());
                    ps.setLong(9, m.bytesProcessed());
                    ps.setLong(10, m.bytesTotal());
                    ps.setLong(11, m.chunksProcessed());
                    ps.setLong(12, m.chunksTotal());
                    ps.setDouble(13, m.throughputBytesPerSecond());
                    ps.setLong(14, m.errorCount());
                    ps.setLong(15, m.warningCount());
                    ps.setLong(16, m.inputFileSizeBytes());
                    ps.setLong(17, m.outputFileSizeBytes());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
            t1 = System.nanoTime();
        }
        return result(t0, t1, recordedCheck(db, args.path("prefix").asText()));
    }

    // ---- 5. every snapshot of a DAG -----------------------------------------------------------

    private ObjectNode decodePipescope(Path db, String dag) {
        var database = readOnlyDatabases.computeIfAbsent(db, Pipescope::openReadOnly);
        System.gc();
        long[] counts = new long[2];
        long t0 = System.nanoTime();
        database.dags().forEachSnapshot(dag, (info, cache) -> {
            counts[0]++;
            counts[1] += cache.entries().size();
        });
        long t1 = System.nanoTime();
        return result(t0, t1, JSON.createObjectNode().put("snapshots", counts[0]).put("nodes", counts[1]));
    }

    /** dagger's snapshot format by hand: zstd inside zstd around {"node": {"key": {"value": ...}}}. */
    private ObjectNode decodeByHand(Path db, String dag) throws Exception {
        try (var c = readOnly(db);
             var ps = c.prepareStatement("SELECT snapshot_data FROM snapshots WHERE dag_id = ? ORDER BY created_at, rowid")) {
            System.gc();
            long snapshots = 0;
            long nodes = 0;
            long t0 = System.nanoTime();
            ps.setString(1, dag);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] blob = rs.getBytes(1);
                    byte[] inner = Zstd.decompress(blob, (int) Zstd.getFrameContentSize(blob));
                    byte[] json = Zstd.decompress(inner, (int) Zstd.getFrameContentSize(inner));
                    JsonNode root = JSON.readTree(json);
                    var cache = new HashMap<String, Map<String, JsonNode>>();
                    root.fields().forEachRemaining(node -> {
                        var keys = new HashMap<String, JsonNode>();
                        node.getValue().fields().forEachRemaining(k -> keys.put(k.getKey(), k.getValue().get("value")));
                        cache.put(node.getKey(), keys);
                    });
                    snapshots++;
                    nodes += cache.size();
                }
            }
            long t1 = System.nanoTime();
            return result(t0, t1, JSON.createObjectNode().put("snapshots", snapshots).put("nodes", nodes));
        }
    }

    /**
     * A new file holding one DAG ("nightly_etl") of 150 nodes with six outputs each, snapshotted
     * {@code snapshots} times a minute apart while a tenth of the nodes change between snapshots:
     * about 50 KB of JSON per snapshot, a busy DAG's day. check.dag names it.
     */
    private ObjectNode prepareDag(Path db, int snapshots, long seed) {
        if (Files.exists(db)) {
            throw new IllegalArgumentException(db + " exists; prepare_dag makes a new file");
        }
        var random = new Random(seed);
        var nodes = new ArrayList<String>();
        for (int i = 0; i < 150; i++) {
            nodes.add(String.format("%s_%03d", List.of("extract", "clean", "join", "aggregate", "load").get(i % 5), i));
        }
        var outputs = new HashMap<String, Map<String, JsonNode>>();
        nodes.forEach(node -> outputs.put(node, nodeOutputs(random, node)));
        var dag = "nightly_etl";
        long t0 = System.nanoTime();
        try (var database = Pipescope.open(db)) {
            var time = Instant.parse("2025-10-31T00:00:00Z");
            for (int s = 0; s < snapshots; s++) {
                for (int changed = 0; changed < nodes.size() / 10; changed++) {
                    var node = nodes.get(random.nextInt(nodes.size()));
                    outputs.put(node, nodeOutputs(random, node));
                }
                var cache = dev.pipescope.domain.DagCache.builder();
                outputs.forEach((node, keys) -> keys.forEach((key, value) -> cache.put(node, key, value)));
                database.dags().saveSnapshot(dag, cache.build(), time.plusSeconds(60L * s));
            }
            long t1 = System.nanoTime();
            var info = database.dags().listSnapshots(dag);
            return result(t0, t1, JSON.createObjectNode().put("dag", dag).put("snapshots", info.size())
                    .put("raw_bytes", info.stream().mapToLong(i -> i.rawBytes().orElse(0)).sum())
                    .put("stored_bytes", info.stream().mapToLong(i -> i.compressedBytes()).sum()));
        }
    }

    private static Map<String, JsonNode> nodeOutputs(Random random, String node) {
        var keys = new LinkedHashMap<String, JsonNode>();
        keys.put("rows", JSON.getNodeFactory().numberNode(random.nextInt(5_000_000)));
        keys.put("bytes", JSON.getNodeFactory().numberNode(random.nextLong() & 0xFFFFFFFFFFL));
        keys.put("status", JSON.getNodeFactory().textNode(random.nextInt(20) == 0 ? "retried" : "ok"));
        keys.put("duration_ms", JSON.getNodeFactory().numberNode(50 + random.nextInt(600_000)));
        var columns = JSON.createArrayNode();
        for (int c = 0; c < 8; c++) {
            columns.add(node + "_col_" + c);
        }
        keys.put("columns", columns);
        var stats = JSON.createObjectNode();
        stats.put("mean", random.nextDouble() * 1000);
        stats.put("p95", random.nextDouble() * 5000);
        stats.put("nulls", random.nextInt(1000));
        stats.put("source", "s3://lake/" + node + "/part-" + random.nextInt(10_000) + ".parquet");
        keys.put("stats", stats);
        return keys;
    }
}
