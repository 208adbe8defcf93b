package dev.pipescope.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineStage;
import dev.pipescope.domain.RunMeasures;
import dev.pipescope.domain.StageType;
import dev.pipescope.store.SqliteDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writer threads, reader threads, two pagers and a second process on one file for a bounded time.
 * No call fails (no "database is locked" reaches a caller: busy timeout, then the retry policy of
 * {@link dev.pipescope.sqlite.SqliteConnections}), every acknowledged write is stored exactly
 * once, readers only ever see whole aggregates, keyset pages ({@code listAfter}) never skip or repeat
 * a row while rows with random ids are inserted anywhere, and offset pages never skip one.
 */
class ConcurrencyReliabilityTest {
    static final long MIX_MS = 12_000;
    static final long BASELINE_MS = 2_000;
    static final RunMeasures MEASURES = RunMeasures.ofInput(4096).withProgress(4096, 2, 2);
    private static final int PRELOADED = 300;

    @TempDir
    Path dir;

    /** A pipeline whose configuration says how many stages it has, so a reader can tell a partial one. */
    static Pipeline aggregate(String name, int variant) {
        return aggregate(Pipeline.builder(name), variant);
    }

    private static Pipeline aggregate(Pipeline.Builder builder, int variant) {
        int extra = 1 + Math.floorMod(variant, 4);
        for (int s = 0; s < extra; s++) {
            builder.stage(PipelineStage.builder("stage-" + s, StageType.COMPRESSION, "zstd")
                    .parameter("compression_level", Integer.toString(s)));
        }
        var draft = builder.build();
        return new Pipeline(draft.id(), draft.name(), false, draft.createdAt(), draft.updatedAt(), draft.stages(),
                Map.of("stage-count", Integer.toString(draft.stages().size()), "variant", Integer.toString(variant)));
    }

    /** True when the aggregate is whole: as many stages as it says, each user stage with its parameter. */
    private static boolean whole(Pipeline p) {
        var count = p.configuration().get("stage-count");
        return count != null && Integer.parseInt(count) == p.stages().size()
                && p.stages().stream().filter(s -> s.name().startsWith("stage-"))
                        .allMatch(s -> s.parameters().containsKey("compression_level"));
    }

    @Test
    void theMixLosesNothingDuplicatesNothingAndNeverShowsHalfAnAggregate() throws Exception {
        var file = dir.resolve("mix.db");
        var failures = new ConcurrentLinkedQueue<Throwable>();
        var acknowledgedPipelines = ConcurrentHashMap.<String>newKeySet();
        var acknowledgedRuns = ConcurrentHashMap.<String>newKeySet();
        var writes = new AtomicLong();
        var reads = new AtomicLong();
        var partial = new AtomicLong();
        var keysetPasses = new AtomicLong();
        var offsetPasses = new AtomicLong();
        var offsetRepeats = new AtomicLong();
        var stop = new AtomicBoolean();
        try (var db = Pipescope.open(file)) {
            var preload = new ArrayList<Pipeline>();
            for (int i = 0; i < PRELOADED; i++) {
                preload.add(aggregate("pre-" + i, i));
            }
            db.pipelines().saveAll(preload);
            preload.forEach(p -> acknowledgedPipelines.add(p.id()));
            // baseline in the same run: one thread saving the same aggregates with nothing else going on
            long baselineSaves = 0;
            long baselineStart = System.nanoTime();
            while (System.nanoTime() - baselineStart < BASELINE_MS * 1_000_000) {
                var p = aggregate("baseline-" + baselineSaves, (int) baselineSaves);
                db.pipelines().save(p);
                acknowledgedPipelines.add(p.id());
                baselineSaves++;
            }
            double baselinePerSecond = baselineSaves / ((System.nanoTime() - baselineStart) / 1e9);

            var child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    ConcurrencyChild.class.getName(), file.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            var childOut = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", childOut.readLine(), "the second process did not start");
            var childWrites = new AtomicLong();
            var childFailures = new ConcurrentLinkedQueue<String>();
            var childReader = new Thread(() -> {
                try {
                    String line;
                    while ((line = childOut.readLine()) != null) {
                        if (line.startsWith("committed pipeline ")) {
                            acknowledgedPipelines.add(line.substring("committed pipeline ".length()));
                            childWrites.incrementAndGet();
                        } else if (line.startsWith("committed run ")) {
                            acknowledgedRuns.add(line.substring("committed run ".length()));
                            childWrites.addAndGet(2);
                        } else if (!line.equals("done")) {
                            childFailures.add(line);
                        }
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            });
            childReader.start();

            var threads = new ArrayList<Thread>();
            threads.add(worker("ulid-writer", failures, stop, i -> {
                var p = aggregate("ulid-" + i, i);
                db.pipelines().save(p);
                acknowledgedPipelines.add(p.id());
                var run = db.runs().start(p.id());
                db.runs().finish(run.id(), MEASURES);
                acknowledgedRuns.add(run.id());
                writes.addAndGet(3);
            }));
            threads.add(worker("random-id-writer", failures, stop, i -> {
                // ids that sort anywhere among the existing ones
                var p = aggregate(Pipeline.builder("random-" + i).id(UUID.randomUUID().toString()), i);
                db.pipelines().save(p);
                acknowledgedPipelines.add(p.id());
                writes.incrementAndGet();
            }));
            threads.add(worker("updater", failures, stop, i -> {
                var id = preload.get(ThreadLocalRandom.current().nextInt(PRELOADED)).id();
                var current = db.pipelines().findById(id).orElseThrow();
                var changed = aggregate(Pipeline.builder(current.name()).id(id), i + 1);
                db.pipelines().update(changed);
                writes.incrementAndGet();
            }));
            for (int r = 0; r < 2; r++) {
                threads.add(worker("reader-" + r, failures, stop, i -> {
                    var page = db.pipelines().listPaginated(ThreadLocalRandom.current().nextInt(PRELOADED), 20);
                    var one = db.pipelines().findById(preload.get(i % PRELOADED).id()).orElseThrow();
                    for (var p : page) {
                        if (!whole(p)) {
                            partial.incrementAndGet();
                        }
                    }
                    if (!whole(one)) {
                        partial.incrementAndGet();
                    }
                    reads.addAndGet(2);
                }));
            }
            threads.add(worker("keyset-pager", failures, stop, i -> {
                var before = activeIds(db);
                var seen = new ArrayList<String>();
                String after = "";
                for (List<Pipeline> page; !(page = db.pipelines().listAfter(after, 37)).isEmpty(); ) {
                    page.forEach(p -> seen.add(p.id()));
                    after = page.get(page.size() - 1).id();
                    reads.incrementAndGet();
                }
                assertEquals(seen.size(), new HashSet<>(seen).size(), "a keyset pass repeated a row");
                assertTrue(seen.containsAll(before), "a keyset pass skipped a row present throughout");
                keysetPasses.incrementAndGet();
            }));
            threads.add(worker("offset-pager", failures, stop, i -> {
                var before = activeIds(db);
                var seen = new ArrayList<String>();
                for (long offset = 0; ; offset += 37) {
                    var page = db.pipelines().listPaginated(offset, 37);
                    if (page.isEmpty()) {
                        break;
                    }
                    page.forEach(p -> seen.add(p.id()));
                    reads.incrementAndGet();
                }
                // offsets shift when an id sorts before the cursor: that repeats a row, it cannot skip one
                assertTrue(seen.containsAll(before), "an offset pass skipped a row present throughout");
                offsetRepeats.addAndGet(seen.size() - new HashSet<>(seen).size());
                offsetPasses.incrementAndGet();
            }));

            long started = System.nanoTime();
            threads.forEach(Thread::start);
            Thread.sleep(MIX_MS);
            stop.set(true);
            child.getOutputStream().close();
            for (var t : threads) {
                t.join(60_000);
                assertTrue(!t.isAlive(), t.getName() + " did not stop");
            }
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "second process did not stop");
            childReader.join(10_000);
            double seconds = (System.nanoTime() - started) / 1e9;

            assertTrue(failures.isEmpty(), () -> "calls failed: " + failures);
            assertTrue(childFailures.isEmpty(), () -> "the second process failed: " + childFailures);
            assertEquals(0, child.exitValue());
            assertEquals(0, partial.get(), "a reader saw half an aggregate");
            assertTrue(keysetPasses.get() > 0 && offsetPasses.get() > 0 && childWrites.get() > 0,
                    "the mix did too little to prove anything");

            // every acknowledged write exactly once, nothing unacknowledged
            var stored = db.pipelines().listIncludingArchived();
            assertEquals(acknowledgedPipelines, stored.stream().map(Pipeline::id).collect(java.util.stream.Collectors.toSet()));
            assertEquals(acknowledgedPipelines.size(), stored.size());
            stored.forEach(p -> assertTrue(whole(p), "stored partial aggregate " + p.id()));
            var runIds = ((SqliteDatabase) db).connections().read("list run ids",
                    h -> h.createQuery("SELECT id FROM pipeline_runs WHERE status = 'succeeded'").mapTo(String.class).list());
            assertEquals(acknowledgedRuns.size(), runIds.size(), "runs stored vs acknowledged");
            assertEquals(acknowledgedRuns, new HashSet<>(runIds));

            long totalWrites = writes.get() + childWrites.get();
            ReliabilityReport.record("concurrency", """
                    Writer threads (ULID ids, random ids that sort anywhere, updates of existing aggregates), reader
                    threads, a keyset pager (`listAfter`) and an offset pager (`listPaginated`) in this JVM, and a second
                    process writing the same file, for a bounded time. Busy policy: every connection waits its busy
                    timeout for another process's lock; if the lock is still held, `SqliteConnections` retries the whole
                    transaction twice with back-off before a `DatabaseBusyException`; write transactions begin
                    IMMEDIATE, so none fails half-way for want of the lock.""", Map.ofEntries(
                    Map.entry("busy timeout of every connection, ms (then the retries of SqliteConnections)",
                            dev.pipescope.ConnectionSettings.readWrite().busyTimeoutMs()),
                    Map.entry("mix duration, s", Math.round(seconds * 10) / 10.0),
                    Map.entry("threads in the parent (3 writers, 2 readers, 2 pagers) + second process", 8),
                    Map.entry("writes acknowledged (parent + second process)", totalWrites),
                    Map.entry("writes per second (parent + second process)", Math.round(totalWrites / seconds)),
                    Map.entry("baseline: saves per second of one thread alone, same run", Math.round(baselinePerSecond)),
                    Map.entry("mix writes per second / baseline saves per second",
                            Math.round(totalWrites / seconds / baselinePerSecond * 100) / 100.0),
                    Map.entry("reads per second (pages, lookups)", Math.round(reads.get() / seconds)),
                    Map.entry("keyset pagination passes without skip or repeat", keysetPasses.get()),
                    Map.entry("offset pagination passes without skip", offsetPasses.get()),
                    Map.entry("rows repeated by offset paging (ids inserted before the cursor)", offsetRepeats.get()),
                    Map.entry("'database is locked' or other errors reaching a caller", failures.size() + childFailures.size())));
        }
    }

    private static Set<String> activeIds(PipescopeDatabase db) {
        return new HashSet<>(((SqliteDatabase) db).connections().read("list active ids",
                h -> h.createQuery("SELECT id FROM pipelines WHERE archived = false").mapTo(String.class).list()));
    }

    interface Step {
        void run(int iteration) throws Exception;
    }

    private static Thread worker(String name, ConcurrentLinkedQueue<Throwable> failures, AtomicBoolean stop, Step step) {
        return new Thread(() -> {
            try {
                for (int i = 0; !stop.get(); i++) {
                    step.run(i);
                }
            } catch (Throwable t) {
                failures.add(new AssertionError(name + ": " + t, t));
            }
        }, name);
    }
}
