package dev.pipescope.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Prepares every SQL statement in the code against a freshly migrated database. */
class SqlCatalogTest {

    @Test
    void everyStatementPreparesOnAFreshlyMigratedDatabase() {
        var statements = SqlCatalog.preparable();
        assertFalse(statements.isEmpty());
        var failures = new ArrayList<String>();
        try (var db = SqliteDatabase.memory()) {
            db.connections().withWriterConnection("prepare catalog", connection -> {
                for (var entry : statements.entrySet()) {
                    try (var ps = connection.prepareStatement(entry.getValue().replaceAll(":[a-zA-Z]\\w*", "?"))) {
                        ps.getParameterMetaData();
                    } catch (SQLException e) {
                        failures.add(entry.getKey() + ": " + e.getMessage());
                    }
                }
                return null;
            });
        }
        if (!failures.isEmpty()) {
            fail("statements that do not prepare:\n" + String.join("\n", failures));
        }
    }

    @Test
    void everySqlClassInTheSourceTreeIsRegistered() throws IOException {
        var source = Path.of("src/main/java/dev/pipescope");
        var found = new TreeSet<String>();
        try (var files = Files.walk(source)) {
            files.filter(f -> f.getFileName().toString().endsWith("Sql.java")).forEach(f -> {
                var relative = source.getParent().getParent().relativize(f).toString();
                found.add(relative.replace('/', '.').replaceAll("\\.java$", ""));
            });
        }
        assertEquals(found, new TreeSet<>(SqlCatalog.classNames()),
                "every *Sql class must be listed in SqlCatalog.CLASSES");
    }
}
