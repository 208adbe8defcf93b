package dev.pipescope.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.ConnectionSettings;
import dev.pipescope.Pipescope;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.error.ReadOnlyViolationException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Connections.readConnection}: plain JDBC in one read transaction, the read-only guard, no connection kept. */
class ReadConnectionTest {
    @TempDir
    Path dir;

    private static long count(Connection c) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM pipelines")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void itsQueriesSeeOneSnapshotWhileAnotherConnectionWrites() {
        var file = dir.resolve("snapshot.db");
        try (var writer = Pipescope.open(file); var reader = Pipescope.openReadOnly(file)) {
            writer.pipelines().save(Pipeline.builder("before").build());
            long[] seen = reader.connections().readConnection("count twice", c -> {
                long first = count(c);
                writer.pipelines().save(Pipeline.builder("meanwhile").build());
                return new long[] {first, count(c)};
            });
            assertEquals(1, seen[0]);
            assertEquals(seen[0], seen[1], "the second query saw a write committed after the first");
            assertEquals(2L, (long) reader.connections().readConnection("count again", ReadConnectionTest::count),
                    "a later read sees the write");
        }
    }

    @Test
    void itRefusesWritesOnAReadOnlyDatabaseAndNamesTheFile() {
        var file = dir.resolve("guarded.db");
        Pipescope.open(file).close();
        try (var db = Pipescope.openReadOnly(file)) {
            var refused = assertThrows(PipescopeException.class, () -> db.connections().readConnection("sneak a write",
                    c -> c.createStatement().executeUpdate("DELETE FROM pipelines")));
            assertTrue(refused instanceof ReadOnlyViolationException, refused.toString());
            assertTrue(refused.getMessage().contains(file.getFileName().toString()), refused.getMessage());
        }
    }

    @Test
    void itClosesItsConnectionSoTheFileCanBeReplacedAndItJoinsATransactionOfItsThread() throws Exception {
        var file = dir.resolve("closed.db");
        try (var db = Pipescope.open(file, ConnectionSettings.readWrite())) {
            db.pipelines().save(Pipeline.builder("one").build());
            Connection[] used = new Connection[1];
            db.connections().readConnection("keep a reference", c -> {
                used[0] = c;
                return count(c);
            });
            assertTrue(used[0].isClosed(), "readConnection left its connection open");
            // inside a write on this thread it uses the writer's connection, so it sees the uncommitted row
            long inside = db.connections().write("write then read", h -> {
                h.execute("INSERT INTO pipelines (id, name, archived, created_at, updated_at)"
                        + " SELECT 'x' || id, 'copy ' || name, archived, created_at, updated_at FROM pipelines");
                return db.connections().readConnection("read inside", ReadConnectionTest::count);
            });
            assertEquals(2, inside);
        }
    }
}
