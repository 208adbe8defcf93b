package dev.pipescope.source.dagger;

import dev.pipescope.store.SqliteDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.pipescope.Pipescope;
import dev.pipescope.domain.DagCache;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.SnapshotInfo;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code db.dags()} on every kind of database, and snapshot stamps across connections. */
class DagsAccessTest {
    @TempDir
    Path dir;

    @Test
    void everyDatabaseKindOffersTheDagStore() throws Exception {
        var cache = DagCache.builder().put("n", "k", IntNode.valueOf(1)).build();
        try (var memory = SqliteDatabase.memory(); var plain = Pipescope.inMemory()) {
            for (var db : java.util.List.of(memory, plain)) {
                assertTrue(db.layouts().contains(Layout.DAGGER), db.toString());
                db.dags().saveSnapshot("d", cache);
                assertEquals(cache, db.dags().loadLatestSnapshot("d").orElseThrow());
            }
        }
        var file = dir.resolve("new.db");
        try (var db = Pipescope.open(file)) {
            assertTrue(db.layouts().contains(Layout.DAGGER));
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement();
             var rs = st.executeQuery("SELECT description FROM flyway_schema_history WHERE version = '2'")) {
            assertTrue(rs.next());
            assertEquals("dagger cache", rs.getString(1));
        }
    }

    @Test
    void twoDatabasesOnOneFileWithTheSameClockNeverCollide() throws Exception {
        var file = dir.resolve("shared.db");
        Pipescope.open(file).close();
        var frozen = Clock.fixed(Instant.parse("2025-09-22T12:00:00Z"), ZoneOffset.UTC);
        var pool = Executors.newFixedThreadPool(4);
        try (var a = (SqliteDatabase) Pipescope.open(file); var b = (SqliteDatabase) Pipescope.open(file)) {
            var stores = java.util.List.of(new SqlDagStore(a.connections(), frozen, 1 << 20),
                    new SqlDagStore(b.connections(), frozen, 1 << 20));
            var tasks = new ArrayList<Callable<Void>>();
            for (int t = 0; t < 4; t++) {
                var store = stores.get(t % 2);
                int thread = t;
                tasks.add(() -> {
                    for (int i = 0; i < 15; i++) {
                        store.saveSnapshot("d", DagCache.builder().put("t" + thread, "i", IntNode.valueOf(i)).build());
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
            var listed = stores.get(0).listSnapshots("d");
            assertEquals(60, listed.size());
            assertEquals(60, new HashSet<>(listed.stream().map(SnapshotInfo::createdAtText).toList()).size());
            for (int i = 1; i < listed.size(); i++) {
                assertTrue(listed.get(i).createdAt().orElseThrow().isAfter(listed.get(i - 1).createdAt().orElseThrow()));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
