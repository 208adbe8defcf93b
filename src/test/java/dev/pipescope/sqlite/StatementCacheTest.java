package dev.pipescope.sqlite;

import dev.pipescope.ConnectionSettings;
import dev.pipescope.store.SqliteDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Hot paths reuse prepared statements instead of preparing per call. */
class StatementCacheTest {
    @Test
    void repeatedQueriesReuseOnePreparedStatementPerSql() {
        try (var db = SqliteDatabase.memory()) {
            var first = db.connections().read("probe", h -> {
                h.createQuery("SELECT 1").mapTo(Integer.class).one();
                return ((CachingStatementBuilder) h.getStatementBuilder());
            });
            int before = first.size();
            for (int i = 0; i < 100; i++) {
                db.pipelines().findById("01K73NTFKXP8H012G5MV268WAS");
            }
            var after = db.connections().read("probe", h -> (CachingStatementBuilder) h.getStatementBuilder());
            assertSame(first, after);
            // findById is one statement; 100 calls must prepare it once, not 100 times
            assertTrue(after.size() - before <= 1, "cached statements: " + (after.size() - before));
        }
    }

    @Test
    void nestedUseOfTheSameSqlGetsItsOwnStatement() {
        try (var db = SqliteDatabase.memory()) {
            var pairs = db.connections().read("nested", h -> h.createQuery("SELECT value FROM json_each('[1,2]')")
                    .mapTo(Integer.class)
                    .list().stream()
                    .map(outer -> outer * 10 + h.createQuery("SELECT value FROM json_each('[1,2]')").mapTo(Integer.class).list().size())
                    .toList());
            assertEquals(List.of(12, 22), pairs);
        }
    }

    @Test
    void aStatementThatFailedIsNotReusedBroken(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        var file = dir.resolve("guarded.db");
        try (var rw = SqliteDatabase.open(file, ConnectionSettings.readWrite())) {
            rw.pipelines().save(dev.pipescope.domain.Pipeline.builder("guarded").build());
        }
        try (var db = SqliteDatabase.open(file, ConnectionSettings.readOnlyDefaults())) {
            db.connections().query("lift query_only", h -> h.execute("PRAGMA query_only = OFF"));
            // the same SQL twice on the same reader: both times the read-only refusal, not a stale statement
            for (int i = 0; i < 2; i++) {
                var e = org.junit.jupiter.api.Assertions.assertThrows(dev.pipescope.error.ReadOnlyViolationException.class,
                        () -> db.connections().query("rename", h -> h.execute("UPDATE pipelines SET name = 'changed'")));
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            }
            assertEquals(1, db.pipelines().count());
        }
    }

    @Test
    void aReusedStatementKeepsNoValueFromItsLastUse() {
        try (var db = SqliteDatabase.memory()) {
            var rows = db.connections().read("reuse", h -> {
                var seen = new java.util.ArrayList<String>();
                try {
                    var first = db.connections().prepared(h, "SELECT ?, ?");
                    first.setString(1, "a");
                    first.setString(2, "b");
                    try (var rs = first.executeQuery()) {
                        rs.next();
                        seen.add(rs.getString(1) + "," + rs.getString(2));
                    }
                    var again = db.connections().prepared(h, "SELECT ?, ?");
                    assertSame(first, again, "the cached statement is handed out again");
                    again.setString(1, "c");
                    try (var rs = again.executeQuery()) {
                        rs.next();
                        seen.add(rs.getString(1) + "," + rs.getString(2));
                    }
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
                return seen;
            });
            // the second parameter was left unset the second time: NULL, not the "b" of the first use
            assertEquals(List.of("a,b", "c,null"), rows);
        }
    }
}
