package dev.pipescope.source.pipeline;

import dev.pipescope.engine.NamedParameters;

import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineStage;
import dev.pipescope.domain.ProcessingMetrics;
import dev.pipescope.domain.StageType;
import dev.pipescope.domain.Timestamps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Pipeline repository against raw JDBC on the same file in the same run. Each {@code _rawJdbc} method
 * is the baseline of the {@code _pipescope} method of the same name: the very same SQL text (so the
 * ratio is the cost of Jdbi and of our code, not of a different query), the same result objects,
 * prepared statements reused across calls. Lives in the store package to share that SQL.
 *
 * <pre>mvn -Pbench -DskipTests package && java -jar target/benchmarks.jar PipelineBenchmark</pre>
 */
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PipelineBenchmark {
    static final int PIPELINES = 10_000;

    static List<Pipeline> pipelines(int count, long seed) {
        var random = new Random(seed);
        var base = Instant.parse("2025-10-01T00:00:00Z");
        var result = new ArrayList<Pipeline>(count);
        for (int i = 0; i < count; i++) {
            var created = base.plusMillis(i * 1000L + random.nextInt(1000));
            result.add(Pipeline.builder(String.format("pipeline-%06d", i))
                    .id(dev.pipescope.domain.Ulid.at(created, random))
                    .createdAt(created)
                    .stage(PipelineStage.builder("compress", StageType.COMPRESSION, "zstd").chunkSize(1 << 20)
                            .id(dev.pipescope.domain.Ulid.at(created, random))
                            .parameter("algorithm", "zstd").parameter("compression_level", "3"))
                    .stage(PipelineStage.builder("encrypt", StageType.ENCRYPTION, "aes256gcm")
                            .id(dev.pipescope.domain.Ulid.at(created, random))
                            .parameter("algorithm", "aes256gcm"))
                    .config("max_workers", Integer.toString(1 + random.nextInt(8)))
                    .config("output_dir", "/data/out/" + i)
                    .build());
        }
        return result;
    }

    /** A database with 10,000 pipelines (4 stages each) and their metrics, shared by the read benchmarks. */
    @State(Scope.Benchmark)
    public static class Filled {
        Path dir;
        PipescopeDatabase db;
        Connection raw;
        List<Pipeline> all;
        String[] ids;
        String[] names;
        final Random random = new Random(7);
        PreparedStatement rawById;
        PreparedStatement rawByName;
        PreparedStatement rawPage;
        PreparedStatement rawMetrics;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            dir = Files.createTempDirectory("pipescope-bench");
            var file = dir.resolve("bench.db");
            all = pipelines(PIPELINES, 1);
            db = Pipescope.open(file);
            db.pipelines().saveAll(all);
            var random = new Random(3);
            for (var p : all) {
                var start = p.createdAt().plusSeconds(60);
                long bytes = 1L << 30 | random.nextInt();
                db.metrics().upsert(new ProcessingMetrics(p.id(), bytes, bytes, 1024, 1024, start,
                        start.plusMillis(5000 + random.nextInt(60_000)), 5000L + random.nextInt(60_000),
                        random.nextDouble() * 5e8, 1 + random.nextDouble() * 5, 0, random.nextInt(3), bytes,
                        bytes / 3, "in" + random.nextLong(), "out" + random.nextLong()));
            }
            ids = all.stream().map(Pipeline::id).toArray(String[]::new);
            names = all.stream().map(Pipeline::name).toArray(String[]::new);
            raw = DriverManager.getConnection("jdbc:sqlite:" + file);
            rawById = raw.prepareStatement(NamedParameters.positional(PipelineSql.BY_ID.sql()));
            rawByName = raw.prepareStatement(NamedParameters.positional(PipelineSql.BY_NAME.sql()));
            rawPage = raw.prepareStatement(NamedParameters.positional(PipelineSql.ACTIVE_PAGE.sql()));
            rawMetrics = raw.prepareStatement(PipelineSql.LIST_METRICS);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            raw.close();
            db.close();
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Raw JDBC mapping the aggregate query's rows into the same records: the baseline. */
    static List<Pipeline> rawAggregates(PreparedStatement query) throws SQLException {
        var pipelines = new ArrayList<Object[]>();
        var stageRows = new java.util.LinkedHashMap<String, Object[]>();
        var params = new HashMap<String, Map<String, String>>();
        var configs = new HashMap<String, Map<String, String>>();
        try (var rs = query.executeQuery()) {
            while (rs.next()) {
                int kind = rs.getInt(1);
                if (kind == 0) {
                    pipelines.add(new Object[] {rs.getString(2), rs.getString(3), rs.getBoolean(4),
                            Timestamps.parse(rs.getString(5)), Timestamps.parse(rs.getString(6))});
                } else if (kind == 1) {
                    var id = rs.getString(3);
                    if (!stageRows.containsKey(id)) {
                        long chunk = rs.getLong(10);
                        Long chunkSize = rs.wasNull() ? null : chunk;
                        stageRows.put(id, new Object[] {rs.getString(2), rs.getString(4), StageType.fromDb(rs.getString(5)),
                                rs.getBoolean(6), rs.getInt(7), rs.getString(8), rs.getBoolean(9), chunkSize,
                                rs.getBoolean(11), Timestamps.parse(rs.getString(12)), Timestamps.parse(rs.getString(13))});
                        params.put(id, new HashMap<>());
                    }
                    if (rs.getString(14) != null) {
                        params.get(id).put(rs.getString(14), rs.getString(15));
                    }
                } else {
                    configs.computeIfAbsent(rs.getString(2), k -> new HashMap<>()).put(rs.getString(3), rs.getString(4));
                }
            }
        }
        var byPipeline = new HashMap<String, List<PipelineStage>>();
        stageRows.forEach((id, s) -> byPipeline.computeIfAbsent((String) s[0], k -> new ArrayList<>()).add(
                new PipelineStage(id, (String) s[1], (StageType) s[2], (Boolean) s[3], (Integer) s[4], (String) s[5],
                        (Boolean) s[6], (Long) s[7], (Boolean) s[8], (Instant) s[9], (Instant) s[10], params.get(id))));
        var result = new ArrayList<Pipeline>(pipelines.size());
        for (var r : pipelines) {
            result.add(new Pipeline((String) r[0], (String) r[1], (Boolean) r[2], (Instant) r[3], (Instant) r[4],
                    byPipeline.getOrDefault((String) r[0], List.of()), configs.getOrDefault((String) r[0], Map.of())));
        }
        return result;
    }

    /** Binds the same value to every parameter position (the aggregate query repeats its condition). */
    static void bindAll(PreparedStatement ps, Object... valuesPerCondition) throws SQLException {
        int positions = ps.getParameterMetaData().getParameterCount();
        for (int i = 0; i < positions; i++) {
            ps.setObject(i + 1, valuesPerCondition[i % valuesPerCondition.length]);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Object findById_pipescope(Filled s) {
        return s.db.pipelines().findById(s.ids[s.random.nextInt(PIPELINES)]);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Object findById_rawJdbc(Filled s) throws SQLException {
        bindAll(s.rawById, s.ids[s.random.nextInt(PIPELINES)]);
        return rawAggregates(s.rawById);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Object findByName_pipescope(Filled s) {
        return s.db.pipelines().findByName(s.names[s.random.nextInt(PIPELINES)]);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Object findByName_rawJdbc(Filled s) throws SQLException {
        bindAll(s.rawByName, s.names[s.random.nextInt(PIPELINES)]);
        return rawAggregates(s.rawByName);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Object listPaginated100_pipescope(Filled s) {
        return s.db.pipelines().listPaginated(s.random.nextInt(PIPELINES - 100), 100);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Object listPaginated100_rawJdbc(Filled s) throws SQLException {
        bindAll(s.rawPage, 100, s.random.nextInt(PIPELINES - 100));
        var page = rawAggregates(s.rawPage);
        page.sort(Comparator.comparing(Pipeline::id));
        return page;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Object scanMetrics10k_pipescope(Filled s) {
        return s.db.metrics().list();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Object scanMetrics10k_rawJdbc(Filled s) throws SQLException {
        var out = new ArrayList<ProcessingMetrics>(PIPELINES);
        try (var rs = s.rawMetrics.executeQuery()) {
            while (rs.next()) {
                out.add(SqlProcessingMetricsRepository.map(rs));
            }
        }
        return out;
    }

    /** A fresh empty database per batch-save measurement. */
    @State(Scope.Thread)
    public static class Empty {
        final List<Pipeline> batch = pipelines(PIPELINES, 11);
        Path dir;
        Path file;

        @Setup(Level.Invocation)
        public void setUp() throws Exception {
            dir = Files.createTempDirectory("pipescope-bench-save");
            file = dir.resolve("save.db");
            Pipescope.open(file).close(); // migrated, so both sides write into the same schema
        }

        @TearDown(Level.Invocation)
        public void tearDown() throws Exception {
            if (!Files.exists(dir)) {
                return;
            }
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3)
    @Measurement(iterations = 8)
    public void batchSave10k_pipescope(Empty e) {
        try (var db = Pipescope.open(e.file)) {
            db.pipelines().saveAll(e.batch);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3)
    @Measurement(iterations = 8)
    public void batchSave10k_rawJdbc(Empty e) throws SQLException {
        var config = new org.sqlite.SQLiteConfig();
        config.enforceForeignKeys(true);
        config.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(org.sqlite.SQLiteConfig.SynchronousMode.NORMAL);
        config.setCacheSize(-262_144);
        try (var c = config.createConnection("jdbc:sqlite:" + e.file)) {
            c.setAutoCommit(false);
            try (var p = c.prepareStatement(NamedParameters.positional(PipelineSql.INSERT_PIPELINE));
                 var st = c.prepareStatement(NamedParameters.positional(PipelineSql.INSERT_STAGE));
                 var sp = c.prepareStatement(NamedParameters.positional(PipelineSql.INSERT_PARAMETER));
                 var cf = c.prepareStatement(NamedParameters.positional(PipelineSql.INSERT_CONFIGURATION))) {
                for (var pipeline : e.batch) {
                    var created = Timestamps.format(pipeline.createdAt());
                    var updated = Timestamps.format(pipeline.updatedAt());
                    p.setString(1, pipeline.id());
                    p.setString(2, pipeline.name());
                    p.setBoolean(3, pipeline.archived());
                    p.setString(4, created);
                    p.setString(5, updated);
                    p.addBatch();
                    for (var s : pipeline.stages()) {
                        st.setString(1, s.id());
                        st.setString(2, pipeline.id());
                        st.setString(3, s.name());
                        st.setString(4, s.stageType().dbValue());
                        st.setBoolean(5, s.enabled());
                        st.setInt(6, s.stageOrder());
                        st.setString(7, s.algorithm());
                        st.setBoolean(8, s.parallelProcessing());
                        if (s.chunkSize() == null) {
                            st.setNull(9, java.sql.Types.INTEGER);
                        } else {
                            st.setLong(9, s.chunkSize());
                        }
                        st.setBoolean(10, s.archived());
                        st.setString(11, Timestamps.format(s.createdAt()));
                        st.setString(12, Timestamps.format(s.updatedAt()));
                        st.addBatch();
                        for (var param : s.parameters().entrySet()) {
                            sp.setString(1, s.id());
                            sp.setString(2, param.getKey());
                            sp.setString(3, param.getValue());
                            sp.setBoolean(4, s.archived());
                            sp.setString(5, Timestamps.format(s.createdAt()));
                            sp.setString(6, Timestamps.format(s.updatedAt()));
                            sp.addBatch();
                        }
                    }
                    for (var entry : pipeline.configuration().entrySet()) {
                        cf.setString(1, pipeline.id());
                        cf.setString(2, entry.getKey());
                        cf.setString(3, entry.getValue());
                        cf.setBoolean(4, pipeline.archived());
                        cf.setString(5, created);
                        cf.setString(6, updated);
                        cf.addBatch();
                    }
                }
                p.executeBatch();
                st.executeBatch();
                sp.executeBatch();
                cf.executeBatch();
            }
            c.commit();
        }
    }
}
