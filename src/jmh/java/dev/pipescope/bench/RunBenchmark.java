package dev.pipescope.bench;

import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineRun;
import dev.pipescope.domain.RunMeasures;
import dev.pipescope.domain.RunQuery;
import dev.pipescope.domain.RunStats;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.domain.Timestamps;
import dev.pipescope.domain.Ulid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Run recording and run statistics, each against raw JDBC doing the same work in the same run.
 *
 * <ul>
 *   <li>{@code record*}: one run recorded live, start then finish (two transactions), with upstream's
 *       {@code processing_metrics} row written by both, as {@code db.runs()} does. Raw JDBC: the same
 *       inserts, update and upserts with reused prepared statements, no reads or checks.</li>
 *   <li>{@code recordAll*}: 1,000 finished runs in one transaction (imports, demo data). Raw JDBC: the
 *       same batch insert.</li>
 *   <li>{@code stats*}: count, success rate, p50/p95 duration, mean and best throughput of a pipeline
 *       with 1,000,000 runs. Raw JDBC twice: the same SQL as Pipescope (the library's overhead), and
 *       the obvious way (read every run of the pipeline, compute in Java).</li>
 * </ul>
 *
 * <p>Recording one run at a time warms up 5 s per iteration: Jdbi's path through a write needs
 * longer than raw JDBC's to be compiled, and a shorter warm-up measures the JIT, not the library.
 *
 * {@code mvn -Pbench -DskipTests package && java -jar target/benchmarks.jar RunBenchmark -f 1 -wi 3 -i 5}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RunBenchmark {
    static final String INSERT = "INSERT INTO pipeline_runs (id, pipeline_id, status, attempt, started_at, finished_at,"
            + " updated_at, duration_ms, bytes_processed, bytes_total, chunks_processed, chunks_total,"
            + " throughput_bytes_per_second, compression_ratio, error_count, warning_count, input_file_size_bytes,"
            + " output_file_size_bytes, input_file_checksum, output_file_checksum, error_message)"
            + " VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, 0, ?, ?, NULL, NULL, NULL)";
    static final String FINISH = "UPDATE pipeline_runs SET status = 'succeeded', finished_at = ?, updated_at = ?,"
            + " duration_ms = ?, bytes_processed = ?, chunks_processed = ?, throughput_bytes_per_second = ?"
            + " WHERE id = ? AND status = 'running'";
    static final String UPSERT_METRICS = "INSERT INTO processing_metrics (pipeline_id, bytes_processed, bytes_total,"
            + " chunks_processed, chunks_total, start_time_rfc3339, end_time_rfc3339, processing_duration_ms,"
            + " throughput_bytes_per_second, input_file_size_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (pipeline_id) DO UPDATE SET bytes_processed = excluded.bytes_processed,"
            + " bytes_total = excluded.bytes_total, chunks_processed = excluded.chunks_processed,"
            + " chunks_total = excluded.chunks_total, start_time_rfc3339 = excluded.start_time_rfc3339,"
            + " end_time_rfc3339 = excluded.end_time_rfc3339, processing_duration_ms = excluded.processing_duration_ms,"
            + " throughput_bytes_per_second = excluded.throughput_bytes_per_second,"
            + " input_file_size_bytes = excluded.input_file_size_bytes";

    static Path tempFile(String prefix) {
        try {
            var dir = Files.createTempDirectory(prefix);
            return dir.resolve("bench.db");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh file with one pipeline; each side opens only its own connections, so neither holds up the other. */
    abstract static class Recording {
        Path file;
        String pipelineId;
        Instant clock = Instant.parse("2025-01-01T00:00:00Z");
        final Random random = new Random(1);

        void createFile() {
            file = tempFile("pipescope-runbench");
            try (var db = Pipescope.open(file)) {
                var pipeline = Pipeline.builder("bench").build();
                db.pipelines().save(pipeline);
                pipelineId = pipeline.id();
            }
        }

        Instant tick() {
            clock = clock.plusSeconds(60);
            return clock;
        }

        /** A recording file is only good for one trial: delete it and its WAL. */
        void deleteFile() {
            try {
                for (var suffix : new String[] {"", "-wal", "-shm"}) {
                    Files.deleteIfExists(Path.of(file + suffix));
                }
                Files.deleteIfExists(file.getParent());
            } catch (IOException e) {
                throw new IllegalStateException("cannot delete " + file, e);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class PipescopeRecording extends Recording {
        PipescopeDatabase db;

        @Setup(Level.Trial)
        public void setUp() {
            createFile();
            db = Pipescope.open(file);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            db.close();
            deleteFile();
        }
    }

    @State(Scope.Benchmark)
    public static class RawRecording extends Recording {
        Connection raw;
        PreparedStatement insert;
        PreparedStatement finish;
        PreparedStatement metrics;

        @Setup(Level.Trial)
        public void setUp() throws SQLException {
            createFile();
            // set up as Pipescope's writer is: WAL, synchronous NORMAL, foreign keys, 256 MiB cache
            raw = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (var st = raw.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("PRAGMA synchronous = NORMAL");
                st.execute("PRAGMA foreign_keys = ON");
                st.execute("PRAGMA cache_size = -262144");
            }
            raw.setAutoCommit(false);
            insert = raw.prepareStatement(INSERT);
            finish = raw.prepareStatement(FINISH);
            metrics = raw.prepareStatement(UPSERT_METRICS);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws SQLException {
            raw.close();
            deleteFile();
        }
    }

    @Benchmark
    @Warmup(iterations = 3, time = 5)
    public PipelineRun recordRunPipescope(PipescopeRecording s) {
        var start = s.tick();
        var run = s.db.runs().start(s.pipelineId, start, RunMeasures.ofInput(1 << 20));
        return s.db.runs().finish(run.id(), start.plusSeconds(2),
                new RunMeasures(1 << 20, 1 << 20, 4, 4, 0, null, 0, 0, 1 << 20, 1 << 20, null, null));
    }

    @Benchmark
    @Warmup(iterations = 3, time = 5)
    public String recordRunRawJdbc(RawRecording s) throws SQLException {
        var start = s.tick();
        var end = start.plusSeconds(2);
        var id = Ulid.at(start, s.random);
        var startText = Timestamps.format(start);
        var endText = Timestamps.format(end);
        long bytes = 1 << 20;
        var ps = s.insert;
        ps.setString(1, id);
        ps.setString(2, s.pipelineId);
        ps.setString(3, "running");
        ps.setString(4, startText);
        ps.setString(5, null);
        ps.setString(6, startText);
        ps.setObject(7, null);
        ps.setLong(8, 0);
        ps.setLong(9, bytes);
        ps.setLong(10, 0);
        ps.setLong(11, 0);
        ps.setDouble(12, 0);
        ps.setLong(13, bytes);
        ps.setLong(14, 0);
        ps.executeUpdate();
        metrics(s, 0, bytes, 0, startText, null, null, 0);
        s.raw.commit();
        s.finish.setString(1, endText);
        s.finish.setString(2, endText);
        s.finish.setLong(3, 2000);
        s.finish.setLong(4, bytes);
        s.finish.setLong(5, 4);
        s.finish.setDouble(6, bytes / 2.0);
        s.finish.setString(7, id);
        s.finish.executeUpdate();
        metrics(s, bytes, bytes, 4, startText, endText, 2000L, bytes / 2.0);
        s.raw.commit();
        return id;
    }

    private static void metrics(RawRecording s, long done, long total, long chunks, String start, String end,
                                Long durationMs, double throughput) throws SQLException {
        var ps = s.metrics;
        ps.setString(1, s.pipelineId);
        ps.setLong(2, done);
        ps.setLong(3, total);
        ps.setLong(4, chunks);
        ps.setLong(5, 4);
        ps.setString(6, start);
        ps.setString(7, end);
        ps.setObject(8, durationMs);
        ps.setDouble(9, throughput);
        ps.setLong(10, total);
        ps.executeUpdate();
    }

    static final int BATCH = 1_000;

    static PipelineRun finishedRun(String pipelineId, Instant start, Random random, long durationMs) {
        var end = start.plusMillis(durationMs);
        long bytes = 64L << 20;
        return new PipelineRun(Ulid.at(start, random), pipelineId, RunStatus.SUCCEEDED, 1, start, end, end, durationMs,
                new RunMeasures(bytes, bytes, 8, 8, bytes * 1000.0 / durationMs, 2.0, 0, 0, bytes, bytes / 2, null,
                        null), null);
    }

    /** Runs 1,000 at a time in one transaction; scores are runs/s. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int recordAllPipescope(PipescopeRecording s) {
        var runs = new ArrayList<PipelineRun>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            runs.add(finishedRun(s.pipelineId, s.tick(), s.random, 1000 + i));
        }
        s.db.runs().recordAll(runs);
        return runs.size();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int recordAllRawJdbc(RawRecording s) throws SQLException {
        var ps = s.insert;
        for (int i = 0; i < BATCH; i++) {
            var run = finishedRun(s.pipelineId, s.tick(), s.random, 1000 + i);
            var m = run.measures();
            ps.setString(1, run.id());
            ps.setString(2, run.pipelineId());
            ps.setString(3, "succeeded");
            ps.setString(4, Timestamps.format(run.startedAt()));
            ps.setString(5, Timestamps.format(run.finishedAt()));
            ps.setString(6, Timestamps.format(run.updatedAt()));
            ps.setLong(7, run.durationMs());
            ps.setLong(8, m.bytesProcessed());
            ps.setLong(9, m.bytesTotal());
            ps.setLong(10, m.chunksProcessed());
            ps.setLong(11, m.chunksTotal());
            ps.setDouble(12, m.throughputBytesPerSecond());
            ps.setLong(13, m.inputFileSizeBytes());
            ps.setLong(14, m.outputFileSizeBytes());
            ps.addBatch();
        }
        ps.executeBatch();
        s.raw.commit();
        return BATCH;
    }

    /** A file with one pipeline and 1,000,000 runs, made once and kept in the temp dir between forks. */
    @State(Scope.Benchmark)
    public static class Million {
        static final int RUNS = 1_000_000;
        PipescopeDatabase db;
        String pipelineId;
        Connection raw;
        PreparedStatement byStatus;
        PreparedStatement durationAt;
        PreparedStatement scan;

        @Setup(Level.Trial)
        public void setUp() throws SQLException, IOException {
            var file = Path.of(System.getProperty("java.io.tmpdir"), "pipescope-runbench-1m.db");
            if (!Files.exists(file) || !complete(file)) {
                Files.deleteIfExists(file);
                Files.deleteIfExists(Path.of(file + "-wal"));
                Files.deleteIfExists(Path.of(file + "-shm"));
                try (var db = Pipescope.open(file)) {
                    var pipeline = Pipeline.builder("million").build();
                    db.pipelines().save(pipeline);
                    var random = new Random(42);
                    var start = Instant.parse("2024-01-01T00:00:00Z");
                    var chunk = new ArrayList<PipelineRun>(100_000);
                    for (int i = 0; i < RUNS; i++) {
                        var at = start.plusSeconds(30L * i);
                        long duration = (long) (60_000 * Math.exp(random.nextGaussian() * 0.4));
                        var run = finishedRun(pipeline.id(), at, random, duration);
                        if (i % 17 == 0) {
                            run = new PipelineRun(run.id(), run.pipelineId(), RunStatus.FAILED, 1, run.startedAt(),
                                    run.finishedAt(), run.updatedAt(), run.durationMs(), run.measures(), "boom");
                        }
                        chunk.add(run);
                        if (chunk.size() == 100_000) {
                            db.runs().recordAll(chunk);
                            chunk.clear();
                        }
                    }
                }
            }
            db = Pipescope.openReadOnly(file);
            pipelineId = db.runs().list(RunQuery.all().page(0, 1)).get(0).pipelineId();
            raw = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (var st = raw.createStatement()) {
                st.execute("PRAGMA cache_size = -65536");
            }
            byStatus = raw.prepareStatement("SELECT status, COUNT(*), COUNT(duration_ms),"
                    + " AVG(throughput_bytes_per_second), MAX(throughput_bytes_per_second) FROM pipeline_runs"
                    + " WHERE pipeline_id = ? GROUP BY status");
            durationAt = raw.prepareStatement("SELECT duration_ms FROM pipeline_runs WHERE pipeline_id = ?"
                    + " AND status = 'succeeded' AND duration_ms IS NOT NULL ORDER BY duration_ms LIMIT 1 OFFSET ?");
            scan = raw.prepareStatement("SELECT status, duration_ms, throughput_bytes_per_second FROM pipeline_runs"
                    + " WHERE pipeline_id = ?");
        }

        private static boolean complete(Path file) {
            try (var db = Pipescope.openReadOnly(file)) {
                return db.runs().count(RunQuery.all()) == RUNS;
            } catch (RuntimeException e) {
                return false;
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws SQLException {
            raw.close();
            db.close();
        }
    }

    @Benchmark
    public RunStats statsPipescope(Million s) {
        return s.db.runs().stats(s.pipelineId);
    }

    /** The same SQL as Pipescope, through raw JDBC: what the library layer costs. */
    @Benchmark
    public RunStats statsRawJdbcSameSql(Million s) throws SQLException {
        long running = 0, succeeded = 0, failed = 0, cancelled = 0, timed = 0;
        Double mean = null, best = null;
        s.byStatus.setString(1, s.pipelineId);
        try (var rs = s.byStatus.executeQuery()) {
            while (rs.next()) {
                long n = rs.getLong(2);
                switch (rs.getString(1)) {
                    case "running" -> running = n;
                    case "succeeded" -> {
                        succeeded = n;
                        timed = rs.getLong(3);
                        mean = rs.getDouble(4);
                        best = rs.getDouble(5);
                    }
                    case "failed" -> failed = n;
                    default -> cancelled = n;
                }
            }
        }
        Long p50 = timed == 0 ? null : durationAt(s, RunStats.nearestRank(50, timed) - 1);
        Long p95 = timed == 0 ? null : durationAt(s, RunStats.nearestRank(95, timed) - 1);
        return new RunStats(s.pipelineId, running + succeeded + failed + cancelled, running, succeeded, failed,
                cancelled, RunStats.successRate(succeeded, failed, cancelled), p50, p95, mean, best);
    }

    private static long durationAt(Million s, long rank) throws SQLException {
        s.durationAt.setString(1, s.pipelineId);
        s.durationAt.setLong(2, rank);
        try (var rs = s.durationAt.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The obvious way: read every run of the pipeline and compute in Java. */
    @Benchmark
    public RunStats statsRawJdbcScanAll(Million s) throws SQLException {
        long running = 0, succeeded = 0, failed = 0, cancelled = 0;
        long[] durations = new long[1024];
        int n = 0;
        double sum = 0;
        double best = 0;
        s.scan.setString(1, s.pipelineId);
        try (var rs = s.scan.executeQuery()) {
            while (rs.next()) {
                switch (rs.getString(1)) {
                    case "running" -> running++;
                    case "succeeded" -> {
                        succeeded++;
                        long d = rs.getLong(2);
                        if (!rs.wasNull()) {
                            if (n == durations.length) {
                                durations = Arrays.copyOf(durations, n * 2);
                            }
                            durations[n++] = d;
                        }
                        double t = rs.getDouble(3);
                        sum += t;
                        best = Math.max(best, t);
                    }
                    case "failed" -> failed++;
                    default -> cancelled++;
                }
            }
        }
        Arrays.sort(durations, 0, n);
        return new RunStats(s.pipelineId, running + succeeded + failed + cancelled, running, succeeded, failed,
                cancelled, RunStats.successRate(succeeded, failed, cancelled),
                n == 0 ? null : durations[(int) RunStats.nearestRank(50, n) - 1],
                n == 0 ? null : durations[(int) RunStats.nearestRank(95, n) - 1],
                succeeded == 0 ? null : sum / succeeded, succeeded == 0 ? null : best);
    }
}
