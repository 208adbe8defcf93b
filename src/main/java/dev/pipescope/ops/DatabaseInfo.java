package dev.pipescope.ops;

import dev.pipescope.error.NoDatabaseFileException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipescope.domain.Layout;
import dev.pipescope.sqlite.Migrations;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.error.StorageException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The quick facts about a database file (no integrity check, so it is fast on large files): what
 * {@code pipescope info} prints.
 */
public record DatabaseInfo(Path file, long sizeBytes, long walBytes, Set<Layout> layouts, Optional<Integer> schemaVersion,
                           int latestSchemaVersion, List<Integer> pendingMigrations, String journalMode, long pageSize,
                           long pageCount, Map<String, Long> rowCounts) {

    public DatabaseInfo {
        layouts = Set.copyOf(layouts);
        pendingMigrations = List.copyOf(pendingMigrations);
        rowCounts = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(rowCounts));
    }

    /** Reads the facts through the database's own (reader) connections, in one snapshot. */
    public static DatabaseInfo of(PipescopeDatabase db) {
        var path = db.path().orElseThrow(() -> new NoDatabaseFileException("database " + db.connections().location()
                + " has no file (SQLite's :memory:, or a database on a server): no file facts to read"));
        return db.connections().readConnection("read database facts", connection -> {
            try {
                var schema = SqliteFiles.schema(connection);
                var pending = schema.layouts().contains(Layout.PIPESCOPE)
                        ? Migrations.knownVersions().stream().filter(v -> v > schema.version().orElse(0)).toList()
                        : List.<Integer>of();
                return new DatabaseInfo(path, SqliteFiles.sizeOrZero(path),
                        SqliteFiles.sizeOrZero(SqliteFiles.sibling(path, "-wal")), schema.layouts(), schema.version(),
                        Migrations.latestVersion(), pending, SqliteFiles.column(connection, OpsSql.JOURNAL_MODE).get(0),
                        SqliteFiles.number(connection, OpsSql.PAGE_SIZE), SqliteFiles.number(connection, OpsSql.PAGE_COUNT),
                        SqliteFiles.rowCounts(connection));
            } catch (IOException e) {
                throw new StorageException("cannot read the size of " + path + ": " + e.getMessage(), e);
            }
        });
    }

    /** Label/value rows, for a text table. */
    public List<Map.Entry<String, String>> rows() {
        var rows = new java.util.ArrayList<Map.Entry<String, String>>();
        rows.add(Map.entry("file", file.toString()));
        rows.add(Map.entry("size", HealthReport.bytes(sizeBytes)));
        rows.add(Map.entry("WAL size", HealthReport.bytes(walBytes)));
        rows.add(Map.entry("layouts", layouts.isEmpty() ? "none" : new TreeSet<>(layouts).toString()));
        rows.add(Map.entry("schema version", schemaVersion.map(String::valueOf).orElse("none")
                + " (this Pipescope: " + latestSchemaVersion + ")"));
        rows.add(Map.entry("pending migrations", pendingMigrations.isEmpty() ? "none" : pendingMigrations.toString()));
        rows.add(Map.entry("journal mode", journalMode));
        rows.add(Map.entry("pages", pageCount + " x " + pageSize + " bytes"));
        rowCounts.forEach((table, count) -> rows.add(Map.entry("rows in " + table, String.valueOf(count))));
        return rows;
    }

    public ObjectNode toJson(ObjectMapper mapper) {
        var json = mapper.createObjectNode();
        json.put("file", file.toString());
        json.put("sizeBytes", sizeBytes);
        json.put("walBytes", walBytes);
        var names = json.putArray("layouts");
        new TreeSet<>(layouts).forEach(k -> names.add(k.name()));
        schemaVersion.ifPresentOrElse(v -> json.put("schemaVersion", v), () -> json.putNull("schemaVersion"));
        json.put("latestSchemaVersion", latestSchemaVersion);
        var pending = json.putArray("pendingMigrations");
        pendingMigrations.forEach(pending::add);
        json.put("journalMode", journalMode);
        json.put("pageSize", pageSize);
        json.put("pageCount", pageCount);
        var counts = json.putObject("rowCounts");
        rowCounts.forEach(counts::put);
        return json;
    }
}
