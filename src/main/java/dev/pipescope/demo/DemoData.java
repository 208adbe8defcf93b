package dev.pipescope.demo;

import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineRun;
import dev.pipescope.domain.PipelineStage;
import dev.pipescope.domain.RunMeasures;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.domain.StageType;
import dev.pipescope.domain.Ulid;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.error.StorageException;
import dev.pipescope.ops.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * A realistic database to explore: pipelines with stages, parameters and configuration, weeks of
 * runs with plausible sizes and throughput, slow outliers, failures, retries and cancellations (each
 * pipeline's {@code processing_metrics} row is its latest run, as upstream keeps it), and DAGs with
 * artifacts, execution trees with failed and retried nodes, snapshots and execution state. The same seed
 * makes the same database, to the byte of every row: times are laid out backwards from a fixed
 * instant ({@link #END}), never from the clock.
 *
 * <pre>{@code
 * try (var db = DemoData.create(Path.of("demo.db"), DemoScale.SMALL)) {
 *     db.runs().stats(db.pipelines().listActive().get(0).id());
 * }
 * }</pre>
 */
public final class DemoData {
    /** The seed of {@link #create(Path, DemoScale)}. */
    public static final long DEFAULT_SEED = 20251101L;
    /** The demo's "now": the newest run starts shortly before it. */
    public static final Instant END = Instant.parse("2025-11-01T00:00:00Z");

    /** Pipelines beyond the scale's, retired part-way through the span and archived, with their runs. */
    public static final int ARCHIVED = 2;
    /** Runs left "running" by a process that died days before {@link #END}: what {@code runs().stale(...)} finds. */
    public static final int STALE = 2;

    /** Runs per {@code recordAll} call: one transaction each, bounded memory at a million runs. */
    private static final int CHUNK = 50_000;
    private static final String[] VERBS = {"compress", "encrypt", "archive", "ship", "transform", "seal", "pack",
            "mirror"};
    private static final String[] OBJECTS = {"logs", "backups", "metrics", "images", "events", "reports", "dumps",
            "traces", "invoices", "videos", "snapshots", "exports", "audit-trail"};
    private static final String[][] COMPRESSION = {{"zstd", "3"}, {"zstd", "9"}, {"brotli", "6"}, {"lz4", "1"},
            {"gzip", "6"}};
    private static final String[] ENCRYPTION = {"aes256gcm", "chacha20poly1305"};
    private static final String[] TRANSFORMS = {"base64", "json-normalize", "dedupe"};
    private static final String[] ERRORS = {"I/O error: No space left on device (os error 28)",
            "checksum mismatch: input changed while reading", "connection reset by peer while writing output",
            "decryption key not found in keystore", "worker panicked: chunk 17 out of bounds",
            "timeout after 300s waiting for storage"};

    private DemoData() {}

    /**
     * Creates a realistic demo database in a new file and returns it open: pipelines with stages, and
     * weeks of runs with failures and retries ({@link DemoScale#SMALL} about 5,000 runs, up to
     * {@link DemoScale#LARGE}, a million). The same every time.
     *
     * @throws InvalidArgumentException when the file already exists
     */
    public static PipescopeDatabase create(Path path, DemoScale scale) {
        return create(path, scale, DEFAULT_SEED);
    }

    /** Makes the demo database in a new file at {@code path} and returns it open. */
    public static PipescopeDatabase create(Path path, DemoScale scale, long seed) {
        return create(path, scale, seed, Progress.NONE);
    }

    /** {@link #create(Path, DemoScale, long)}, reporting each phase (pipelines, runs, DAGs) as it goes. */
    public static PipescopeDatabase create(Path path, DemoScale scale, long seed, Progress progress) {
        if (scale == null) {
            throw new InvalidArgumentException("demo data needs a scale, got null");
        }
        return create(path, scale.size(), seed, progress);
    }

    /** {@link #create(Path, DemoScale, long, Progress)} of an exact size. */
    public static PipescopeDatabase create(Path path, DemoSize scale, long seed, Progress progress) {
        if (path == null || scale == null) {
            throw new InvalidArgumentException("demo data needs a path and a size, got " + path + " and " + scale);
        }
        try {
            if (Files.exists(path) && Files.size(path) > 0) {
                throw new InvalidArgumentException("demo data goes into a new file, and " + path.toAbsolutePath()
                        + " already exists; choose another path or delete it");
            }
        } catch (IOException e) {
            throw new StorageException("cannot check " + path + ": " + e.getMessage(), e);
        }
        var db = Pipescope.open(path);
        try {
            bulkLoad(db, () -> populate(db, scale, seed, progress));
            // opened afresh: an open database knows the layouts its file had when it opened, and the
            // Hyperpage and etl-core tables came after
            db.close();
            return Pipescope.open(path);
        } catch (PipescopeException | IllegalStateException e) {
            db.close();
            // the file was new: a half-made demo is worth nothing, so do not leave one behind
            for (var suffix : List.of("", "-wal", "-shm")) {
                try {
                    Files.deleteIfExists(Path.of(path + suffix));
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    /**
     * Loads a brand-new file the way bulk loads go fast in SQLite: without a checkpoint (and its
     * fsyncs) every 4 MB of WAL, and with the run indexes that loading does not need dropped, then
     * built again in one sorted pass each. The indexes are rebuilt from their own definitions as the
     * migration created them, read back from {@code sqlite_master}.
     */
    private static void bulkLoad(PipescopeDatabase db, Runnable load) {
        var indexes = db.connections().withWriterConnection("set demo data indexes aside", c -> {
            var definitions = new ArrayList<String>();
            try (var st = c.createStatement()) {
                st.execute("PRAGMA wal_autocheckpoint = 0");
                try (var rs = st.executeQuery("SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                        + " AND tbl_name = 'pipeline_runs' AND sql IS NOT NULL AND name IN "
                        + "('idx_pipeline_runs_started', 'idx_pipeline_runs_stats', 'idx_pipeline_runs_running')")) {
                    var names = new ArrayList<String>();
                    while (rs.next()) {
                        names.add(rs.getString(1));
                        definitions.add(rs.getString(2));
                    }
                    rs.close();
                    for (var name : names) {
                        st.execute("DROP INDEX " + name);
                    }
                }
            }
            return definitions;
        });
        try {
            load.run();
        } finally {
            db.connections().withWriterConnection("rebuild demo data indexes", c -> {
                try (var st = c.createStatement()) {
                    for (var definition : indexes) {
                        st.execute(definition);
                    }
                    st.execute("PRAGMA wal_autocheckpoint = 1000");
                }
                return null;
            });
        }
    }

    /**
     * Fills an empty database (SQLite or in memory) with demo pipelines, runs and DAGs, and Hyperpage's
     * and etl-core's tables; {@code db} itself reads those two tools' tables once opened again (a file),
     * as an open database knows the layouts its file had when it opened.
     *
     * @throws InvalidArgumentException when the database already holds pipelines
     */
    public static void populate(PipescopeDatabase db, DemoScale scale, long seed) {
        populate(db, scale, seed, Progress.NONE);
    }

    /** {@link #populate(PipescopeDatabase, DemoScale, long)}, reporting progress per phase. */
    public static void populate(PipescopeDatabase db, DemoScale scale, long seed, Progress progress) {
        populate(db, scale.size(), seed, progress);
    }

    /** {@link #populate(PipescopeDatabase, DemoScale, long, Progress)} of an exact size. */
    public static void populate(PipescopeDatabase db, DemoSize scale, long seed, Progress progress) {
        if (!db.pipelines().listIncludingArchived().isEmpty()) {
            throw new InvalidArgumentException("demo data goes into an empty database; " + db + " holds pipelines");
        }
        var random = new Random(seed);
        var start = END.minus(Duration.ofDays(7L * scale.weeks()));
        int total = scale.pipelines() + ARCHIVED;
        var pipelines = pipelines(random, total, start);
        progress.report("pipelines", 0, total);
        db.pipelines().saveAll(pipelines);
        progress.report("pipelines", total, total);
        populateRuns(db, random, scale, pipelines, start, progress);
        // retired pipelines: their runs stop half-way, then they are archived (upstream's soft delete)
        var retiredAt = start.plus(Duration.between(start, END).dividedBy(2)).plus(Duration.ofDays(1));
        for (var retired : pipelines.subList(scale.pipelines(), total)) {
            db.pipelines().archive(retired.id());
            dateArchiving(db, retired.id(), retiredAt);
        }
        progress.report("DAGs", 0, scale.dags());
        DagDemo.populate(db.dags(), random, scale.dags(), scale.snapshotsPerDag());
        progress.report("DAGs", scale.dags(), scale.dags());
        progress.report("Hyperpage and ETL", 0, 1);
        ToolDemo.populate(db, random, scale.runs(), start);
        progress.report("Hyperpage and ETL", 1, 1);
    }

    /** The rows {@code archive} stamps with the wall clock, each keyed by the pipeline id. */
    private static final List<String> DATE_ARCHIVING = List.of(
            "UPDATE pipelines SET updated_at = ? WHERE id = ?",
            "UPDATE pipeline_stages SET updated_at = ? WHERE pipeline_id = ?",
            "UPDATE stage_parameters SET updated_at = ? WHERE stage_id IN (SELECT id FROM pipeline_stages WHERE pipeline_id = ?)",
            "UPDATE pipeline_configuration SET updated_at = ? WHERE pipeline_id = ?");

    /** Dates an archiving at {@code at}, not now, so the same seed makes the same file. */
    private static void dateArchiving(PipescopeDatabase db, String pipelineId, Instant at) {
        db.connections().withWriterConnection("date the demo's archived pipeline " + pipelineId, c -> {
            for (var sql : DATE_ARCHIVING) {
                try (var st = c.prepareStatement(sql)) {
                    st.setString(1, dev.pipescope.domain.Timestamps.format(at));
                    st.setString(2, pipelineId);
                    st.executeUpdate();
                }
            }
            return null;
        });
    }

    private static List<Pipeline> pipelines(Random random, int count, Instant start) {
        var result = new ArrayList<Pipeline>();
        for (int i = 0; i < count; i++) {
            var created = start.minus(Duration.ofHours(24L * (1 + random.nextInt(60)) + random.nextInt(24)));
            var name = VERBS[i % VERBS.length] + "-" + OBJECTS[(i / VERBS.length) % OBJECTS.length]
                    + (i >= VERBS.length * OBJECTS.length ? "-" + (i / (VERBS.length * OBJECTS.length) + 1) : "");
            long chunkSize = (1L << (20 + 2 + random.nextInt(5)));
            var builder = Pipeline.builder(name).id(Ulid.at(created, random)).createdAt(created).withoutChecksumStages()
                    .stage(stage(random, created, "input_checksum", StageType.CHECKSUM, "sha256").parallel(true))
                    .config("max_workers", Integer.toString(2 << random.nextInt(4)))
                    .config("chunk_size_mb", Long.toString(chunkSize >> 20))
                    .config("output_dir", "/var/lib/pipelines/" + name);
            var verb = VERBS[i % VERBS.length];
            if (!verb.equals("encrypt") || random.nextBoolean()) {
                var c = COMPRESSION[random.nextInt(COMPRESSION.length)];
                builder.stage(stage(random, created, "compress", StageType.COMPRESSION, c[0])
                        .parameter("algorithm", c[0]).parameter("compression_level", c[1]).chunkSize(chunkSize)
                        .parallel(true));
            }
            if (verb.equals("transform") || random.nextInt(4) == 0) {
                var t = TRANSFORMS[random.nextInt(TRANSFORMS.length)];
                builder.stage(stage(random, created, "transform", StageType.TRANSFORM, t).parameter("algorithm", t));
            }
            if (verb.equals("encrypt") || verb.equals("seal") || random.nextInt(3) == 0) {
                var e = ENCRYPTION[random.nextInt(ENCRYPTION.length)];
                builder.stage(stage(random, created, "encrypt", StageType.ENCRYPTION, e).parameter("algorithm", e)
                        .chunkSize(chunkSize));
                builder.config("key_id", "kms://demo/" + name);
            }
            builder.stage(stage(random, created, "output_checksum", StageType.CHECKSUM, "sha256").parallel(true));
            result.add(builder.build());
        }
        return result;
    }

    private static PipelineStage.Builder stage(Random random, Instant created, String name, StageType type,
                                               String algorithm) {
        return PipelineStage.builder(name, type, algorithm).id(Ulid.at(created, random)).createdAt(created);
    }

    /** How one pipeline behaves: its input sizes, speed and reliability. */
    private record Profile(double medianBytes, double medianThroughput, double failureRate, Double compression,
                           long chunkSize) {}

    private static Profile profile(Random random, Pipeline pipeline) {
        var compress = pipeline.stages().stream().filter(s -> s.stageType() == StageType.COMPRESSION).findFirst();
        Double ratio = compress.map(s -> switch (s.algorithm()) {
            case "lz4" -> 1.8;
            case "gzip" -> 3.0;
            case "brotli" -> 4.2;
            default -> s.parameters().getOrDefault("compression_level", "3").equals("9") ? 4.8 : 3.6;
        }).orElse(null);
        long chunk = pipeline.stages().stream().map(PipelineStage::chunkSize).filter(c -> c != null).findFirst()
                .orElse(8L << 20);
        // throughput falls with each extra stage; sizes span two orders of magnitude across pipelines
        double throughput = (350e6 + random.nextGaussian() * 60e6) / (1 + 0.35 * (pipeline.stages().size() - 2));
        double bytes = Math.exp(Math.log(40e6) + random.nextDouble() * Math.log(100));
        return new Profile(bytes, Math.max(20e6, throughput), 0.01 + random.nextDouble() * 0.09, ratio, chunk);
    }

    /** One pipeline's run schedule while runs are made: the next start and what it will be. */
    private static final class Cursor {
        final int index;
        final Pipeline pipeline;
        final Profile profile;
        final long intervalMs;
        final int count;
        final boolean endsRunning;
        int made;
        long slot;
        Instant next;
        int attempt = 1;

        Cursor(int index, Pipeline pipeline, Profile profile, long intervalMs, int count, boolean endsRunning) {
            this.index = index;
            this.pipeline = pipeline;
            this.profile = profile;
            this.intervalMs = intervalMs;
            this.count = count;
            this.endsRunning = endsRunning;
        }

        void scheduleSlot(Random random, Instant start) {
            next = start.plusMillis(slot * intervalMs + (long) (random.nextDouble() * intervalMs * 0.3));
            slot++;
            attempt = 1;
        }
    }

    /**
     * Runs are made in start-time order across pipelines, so ids (time-ordered ULIDs) and start times
     * reach the table's indexes nearly sorted: appends, not page splits all over a 500 MB file.
     */
    private static void populateRuns(PipescopeDatabase db, Random random, DemoSize scale, List<Pipeline> pipelines,
                                     Instant start, Progress progress) {
        // busy pipelines run every few minutes, quiet ones a few times a day
        var weights = new double[pipelines.size()];
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = Math.exp(random.nextGaussian() * 0.8);
            total += weights[i];
        }
        long spanMs = Duration.between(start, END).toMillis();
        // a stale run needs a run of its own beyond one per pipeline
        int stale = Math.max(0, Math.min(STALE, scale.runs() - pipelines.size()));
        int budget = scale.runs() - stale;
        int remaining = budget;
        var queue = new PriorityQueue<Cursor>(Comparator.comparing((Cursor c) -> c.next).thenComparingInt(c -> c.index));
        for (int p = 0; p < pipelines.size(); p++) {
            var profile = profile(random, pipelines.get(p));
            int count = p == pipelines.size() - 1 ? remaining
                    : Math.min(remaining, Math.max(1, (int) Math.round(budget * weights[p] / total)));
            remaining -= count;
            if (count <= 0) {
                continue;
            }
            boolean retired = p >= scale.pipelines();
            // retired pipelines ran in the first half of the span only
            long span = retired ? spanMs / 2 : spanMs;
            // the first two pipelines end with a run still going, as a live system would
            var cursor = new Cursor(p, pipelines.get(p), profile, Math.max(1, span / count), count, p < 2);
            cursor.scheduleSlot(random, start);
            queue.add(cursor);
            if (p >= 2 && p < 2 + stale) {
                // a run whose process died days ago: still "running", its heartbeat stopped at its start
                var dead = new Cursor(p, pipelines.get(p), profile, 1, 1, true);
                dead.next = END.minus(Duration.ofDays(3L + 4L * (p - 2))).plusMillis(random.nextInt(3_600_000));
                queue.add(dead);
            }
        }
        var chunk = new ArrayList<PipelineRun>(CHUNK);
        long recorded = 0;
        progress.report("runs", 0, scale.runs());
        var hex = HexFormat.of();
        var digest = new byte[32];
        while (!queue.isEmpty()) {
            var cursor = queue.poll();
            var run = nextRun(random, cursor, hex, digest);
            cursor.made++;
            chunk.add(run);
            if (chunk.size() == CHUNK) {
                db.runs().recordAll(chunk);
                recorded += chunk.size();
                progress.report("runs", recorded, scale.runs());
                chunk.clear();
            }
            if (cursor.made == cursor.count) {
                continue;
            }
            // a failure is retried a few minutes later, up to three attempts; anything else ends the slot
            if (run.status() == RunStatus.FAILED && cursor.attempt < 3) {
                cursor.next = run.finishedAt().plus(Duration.ofMinutes(2 + random.nextInt(8)));
                cursor.attempt++;
            } else {
                cursor.scheduleSlot(random, start);
            }
            if (cursor.endsRunning && cursor.count > 1 && cursor.made == cursor.count - 1) {
                // the run still going started minutes ago, however seldom its pipeline runs
                var recent = END.minus(Duration.ofMinutes(2 + random.nextInt(20)));
                cursor.next = cursor.next.isAfter(recent) ? cursor.next : recent;
            }
            queue.add(cursor);
        }
        if (!chunk.isEmpty()) {
            db.runs().recordAll(chunk);
        }
        progress.report("runs", scale.runs(), scale.runs());
    }

    private static PipelineRun nextRun(Random random, Cursor cursor, HexFormat hex, byte[] digest) {
        var profile = cursor.profile;
        var at = cursor.next;
        int attempt = cursor.attempt;
        var pipelineId = cursor.pipeline.id();
        random.nextBytes(digest);
        var inputChecksum = hex.formatHex(digest);
        long bytes = Math.max(4096, (long) (profile.medianBytes() * Math.exp(random.nextGaussian() * 0.35)));
        double speed = profile.medianThroughput() * Math.exp(random.nextGaussian() * 0.12)
                * (random.nextInt(40) == 0 ? 0.3 : 1.0);
        long durationMs = Math.max(5, (long) (bytes * 1000.0 / speed));
        long chunks = (bytes + profile.chunkSize() - 1) / profile.chunkSize();
        long output = profile.compression() == null ? bytes
                : (long) (bytes / (profile.compression() * Math.exp(random.nextGaussian() * 0.08)));
        int warnings = random.nextInt(20) == 0 ? 1 + random.nextInt(3) : 0;
        String id = Ulid.at(at, random);
        if (cursor.endsRunning && cursor.made == cursor.count - 1) {
            long done = bytes / 3;
            return new PipelineRun(id, pipelineId, RunStatus.RUNNING, attempt, at, null, at, null,
                    new RunMeasures(done, bytes, chunks / 3, chunks, 0, null, 0, warnings, bytes, 0, inputChecksum,
                            null), null);
        }
        double roll = random.nextDouble();
        var status = roll < profile.failureRate() ? RunStatus.FAILED
                : roll < profile.failureRate() + 0.004 ? RunStatus.CANCELLED : RunStatus.SUCCEEDED;
        if (status == RunStatus.SUCCEEDED) {
            random.nextBytes(digest);
            var end = at.plusMillis(durationMs);
            return new PipelineRun(id, pipelineId, status, attempt, at, end, end, durationMs,
                    new RunMeasures(bytes, bytes, chunks, chunks, bytes * 1000.0 / durationMs,
                            profile.compression() == null ? null : (double) bytes / output, 0, warnings, bytes, output,
                            inputChecksum, hex.formatHex(digest)), null);
        }
        long ranMs = Math.max(1, (long) (durationMs * random.nextDouble()));
        long done = Math.min(bytes, (long) (bytes * (double) ranMs / durationMs));
        var end = at.plusMillis(ranMs);
        var error = status == RunStatus.FAILED ? ERRORS[random.nextInt(ERRORS.length)] : "cancelled by operator";
        return new PipelineRun(id, pipelineId, status, attempt, at, end, end, ranMs,
                new RunMeasures(done, bytes, done / profile.chunkSize(), chunks, done * 1000.0 / ranMs, null,
                        status == RunStatus.FAILED ? 1 : 0, warnings, bytes, 0, inputChecksum, null), error);
    }
}
