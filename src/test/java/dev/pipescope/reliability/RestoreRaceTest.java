package dev.pipescope.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.error.DatabaseBusyException;
import dev.pipescope.ops.Backups;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several restores of one file race each other while an application commits rows, one short connection
 * per row (the way an upstream tool writes between idle periods). Every row the application saw
 * committed must end up either in the final file or in one of the safety copies the restores took:
 * a restore may replace content, but never lose it.
 */
class RestoreRaceTest {
    static final int ROUNDS = 20;
    static final int RESTORES_PER_ROUND = 3;

    @TempDir
    Path dir;

    @Test
    void racingRestoresWithAWriterLoseNoCommittedRow() throws Exception {
        var file = dir.resolve("raced.db");
        try (var db = Pipescope.open(file)) {
            db.pipelines().save(Pipeline.builder("seed").build());
        }
        var backup = Backups.forFile(file).create("seed only");
        var acknowledged = new ConcurrentLinkedQueue<String>();
        int restored = 0;
        var refusedBusy = new AtomicInteger();
        int gaveUp = 0;
        var pool = Executors.newFixedThreadPool(RESTORES_PER_ROUND + 1);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                var stop = new AtomicBoolean();
                var start = new CountDownLatch(1);
                var writing = new CountDownLatch(3);
                final int r = round;
                Future<?> writer = pool.submit(() -> {
                    start.await();
                    for (int i = 0; !stop.get(); i++) {
                        var name = "w" + r + "-" + i;
                        if (insert(file, name)) {
                            acknowledged.add(name);
                            writing.countDown();
                        }
                        Thread.sleep(10);
                    }
                    return null;
                });
                var restores = new ArrayList<Future<Boolean>>();
                for (int k = 0; k < RESTORES_PER_ROUND; k++) {
                    restores.add(pool.submit(() -> {
                        start.await();
                        writing.await();
                        // as an operator would: retry while the writer holds the file
                        for (int attempt = 0; attempt < 100; attempt++) {
                            try {
                                Backups.forFile(file).restore(backup);
                                return true;
                            } catch (DatabaseBusyException busy) {
                                refusedBusy.incrementAndGet();
                                Thread.sleep(10);
                            }
                        }
                        return false;
                    }));
                }
                start.countDown();
                for (var restore : restores) {
                    if (restore.get(60, TimeUnit.SECONDS)) {
                        restored++;
                    } else {
                        gaveUp++;
                    }
                }
                stop.set(true);
                writer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Set<String> kept = new HashSet<>(names(file));
        for (var b : Backups.forFile(file).list()) {
            kept.addAll(names(b.file()));
        }
        var lost = new ArrayList<String>();
        for (var name : acknowledged) {
            if (!kept.contains(name)) {
                lost.add(name);
            }
        }
        assertEquals(0, gaveUp, "restores that stayed refused after 100 attempts");
        assertTrue(restored >= ROUNDS, "too few restores went through: " + restored + " (" + gaveUp + " gave up)");
        assertTrue(acknowledged.size() >= 3 * ROUNDS, "the writer hardly wrote: " + acknowledged.size());
        assertEquals(List.of(), lost, "committed rows in neither the file nor a safety copy");
        assertEquals(List.of("ok"), strings(file, "PRAGMA integrity_check"));
        ReliabilityReport.record("restore-races", """
                Several restores of one file run at once while an application commits rows through short
                connections. Every row the application saw committed is in the final file or in a safety copy.""",
                Map.of("rounds of racing restores", ROUNDS,
                        "restores completed", restored,
                        "restore attempts refused while the file was in use (then retried)", refusedBusy.get(),
                        "committed rows checked", acknowledged.size(),
                        "committed rows lost", lost.size()));
    }

    /** One committed row through its own connection; false when the file was not usable at that moment. */
    private static boolean insert(Path file, String name) {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = 10000");
            st.executeUpdate("INSERT INTO pipelines(id, name, created_at, updated_at) VALUES ('" + name + "', '"
                    + name + "', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
            return true;
        } catch (SQLException e) {
            // a refused write was never acknowledged, so it cannot be lost
            return false;
        }
    }

    private static List<String> names(Path file) {
        return strings(file, "SELECT name FROM pipelines");
    }

    private static List<String> strings(Path file, String sql) {
        try (var c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
             var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            var values = new ArrayList<String>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " on " + file + ": " + e.getMessage(), e);
        }
    }
}
