package dev.pipescope.sqlite;

import dev.pipescope.ConnectionSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineStage;
import dev.pipescope.domain.StageType;
import dev.pipescope.error.DatabaseBusyException;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer at a time, readers alongside, and a clear error when another process holds the lock. */
class ConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void writersAndReadersInParallelLoseNothingAndSeeWholeAggregates() throws Exception {
        var file = dir.resolve("concurrent.db");
        int writers = 3;
        int perWriter = 60;
        var failures = new ConcurrentLinkedQueue<Throwable>();
        var partial = new AtomicInteger();
        var reads = new AtomicInteger();
        try (var db = Pipescope.open(file)) {
            var done = new CountDownLatch(writers);
            var threads = new ArrayList<Thread>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                threads.add(new Thread(() -> {
                    try {
                        for (int i = 0; i < perWriter; i++) {
                            db.pipelines().save(Pipeline.builder("w" + writer + "-" + i)
                                    .stage(PipelineStage.builder("c", StageType.COMPRESSION, "zstd")
                                            .parameter("compression_level", "3"))
                                    .build());
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    } finally {
                        done.countDown();
                    }
                }));
            }
            for (int r = 0; r < 3; r++) {
                threads.add(new Thread(() -> {
                    try {
                        while (done.getCount() > 0) {
                            for (var p : db.pipelines().listPaginated(0, 50)) {
                                reads.incrementAndGet();
                                if (p.stages().size() != 3 || p.stages().get(1).parameters().isEmpty()) {
                                    partial.incrementAndGet();
                                }
                            }
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (var t : threads) {
                t.join(60_000);
            }
            assertTrue(failures.isEmpty(), () -> "failures: " + failures);
            assertEquals(0, partial.get(), "a reader saw half an aggregate");
            assertTrue(reads.get() > 0);
            assertEquals(writers * perWriter, db.pipelines().count());
        }
    }

    @Test
    void anotherProcessHoldingTheWriteLockGivesATypedBusyErrorNamingTheFile() throws Exception {
        var file = dir.resolve("locked.db");
        Pipescope.open(file).close();
        var settings = dev.pipescope.ConnectionSettings.readWrite().withBusyTimeoutMs(100);
        try (var holder = DriverManager.getConnection("jdbc:sqlite:" + file);
             var db = Pipescope.open(file, settings)) {
            holder.setAutoCommit(false);
            try (var st = holder.createStatement()) {
                st.execute("BEGIN EXCLUSIVE"); // sqlite-jdbc began a deferred transaction; take it exclusive
            } catch (java.sql.SQLException alreadyInTransaction) {
                try (var st = holder.createStatement()) {
                    st.execute("INSERT INTO pipelines VALUES ('x', 'holder', 0, 't', 't')");
                }
            }
            var e = assertThrows(DatabaseBusyException.class, () -> db.pipelines().save(Pipeline.builder("blocked").build()));
            assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), e.getMessage());
            holder.rollback();
            db.pipelines().save(Pipeline.builder("after").build());
            assertEquals(List.of("after"), db.pipelines().listActive().stream().map(Pipeline::name).toList());
        }
    }
}
