package dev.pipescope.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The state of one database, as {@code Health.check(db)} found it. Empty values did not apply (a database
 * in memory has no file sizes) or could not be read (see {@link #reasons()}).
 *
 * @param database the file, or a description of the in-memory database
 * @param status the verdict
 * @param reasons why the status is not healthy, one line each (empty when healthy)
 * @param notes what is worth knowing but does not change the verdict (e.g. another tool's file has no
 *              backup: Pipescope keeps a backup policy only for its own files)
 * @param connected whether a connection could read the database
 * @param layouts the known table layouts found
 * @param schemaVersion the newest applied Pipescope migration, for a Pipescope database
 * @param latestSchemaVersion the newest migration this Pipescope ships
 * @param pendingMigrations versions shipped but not applied
 * @param quickCheck what {@code PRAGMA quick_check} said ("ok" or the problems)
 * @param databaseBytes size of the database file
 * @param walBytes size of its {@code -wal} file (0 when there is none)
 * @param pageCount pages in the database
 * @param freePages pages on the free list (reclaimable by VACUUM)
 * @param pageSize bytes per page
 * @param journalMode the journal mode (wal, delete, memory...)
 * @param busyTimeoutMs how long a connection waits for another's lock
 * @param lastBackupAge age of the newest backup in the default folder
 * @param rowCounts rows per table
 * @param checkedAt when the check ran
 */
public record HealthReport(String database, HealthStatus status, List<String> reasons, List<String> notes,
                           boolean connected,
                           Set<Layout> layouts, Optional<Integer> schemaVersion, int latestSchemaVersion,
                           List<Integer> pendingMigrations, Optional<String> quickCheck, Optional<Long> databaseBytes,
                           Optional<Long> walBytes, Optional<Long> pageCount, Optional<Long> freePages,
                           Optional<Long> pageSize, Optional<String> journalMode, Optional<Integer> busyTimeoutMs,
                           Optional<Duration> lastBackupAge, Map<String, Long> rowCounts, Instant checkedAt) {

    public HealthReport {
        reasons = List.copyOf(reasons);
        notes = List.copyOf(notes);
        layouts = Set.copyOf(layouts);
        pendingMigrations = List.copyOf(pendingMigrations);
        rowCounts = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(rowCounts));
    }

    /** The report as label/value rows, the way the table renderings show it. */
    public List<Map.Entry<String, String>> rows() {
        var rows = new ArrayList<Map.Entry<String, String>>();
        rows.add(Map.entry("database", database));
        rows.add(Map.entry("status", status.name().toLowerCase()));
        reasons.forEach(r -> rows.add(Map.entry("reason", r)));
        notes.forEach(n -> rows.add(Map.entry("note", n)));
        rows.add(Map.entry("connected", connected ? "yes" : "no"));
        rows.add(Map.entry("layouts", layouts.isEmpty() ? "none" : new java.util.TreeSet<>(layouts).toString()));
        rows.add(Map.entry("schema version", schemaVersion.map(String::valueOf).orElse("none")
                + " (this Pipescope: " + latestSchemaVersion + ")"));
        rows.add(Map.entry("pending migrations", pendingMigrations.isEmpty() ? "none" : pendingMigrations.toString()));
        quickCheck.ifPresent(v -> rows.add(Map.entry("quick_check", v)));
        databaseBytes.ifPresent(v -> rows.add(Map.entry("database size", bytes(v))));
        walBytes.ifPresent(v -> rows.add(Map.entry("WAL size", bytes(v))));
        pageCount.ifPresent(v -> rows.add(Map.entry("pages", v + pageSize.map(s -> " x " + s + " bytes").orElse(""))));
        freePages.ifPresent(v -> rows.add(Map.entry("free pages", String.valueOf(v))));
        journalMode.ifPresent(v -> rows.add(Map.entry("journal mode", v)));
        busyTimeoutMs.ifPresent(v -> rows.add(Map.entry("busy timeout", v + " ms")));
        rows.add(Map.entry("last backup", lastBackupAge.map(HealthReport::age).orElse("none")));
        rowCounts.forEach((table, count) -> rows.add(Map.entry("rows in " + table, String.valueOf(count))));
        return rows;
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s (%d bytes)", value, units[unit], n);
    }

    static String age(Duration age) {
        if (age.toDays() > 0) {
            return age.toDays() + " d " + age.toHoursPart() + " h ago";
        }
        if (age.toHours() > 0) {
            return age.toHours() + " h " + age.toMinutesPart() + " min ago";
        }
        return age.toMinutes() + " min " + age.toSecondsPart() + " s ago";
    }

    /** A plain-text table (what a notebook shows for the record without HTML, and the CLI prints). */
    @Override
    public String toString() {
        int width = rows().stream().mapToInt(r -> r.getKey().length()).max().orElse(0);
        var text = new StringBuilder();
        for (var row : rows()) {
            text.append(String.format("%-" + width + "s  %s%n", row.getKey(), row.getValue()));
        }
        return text.toString();
    }

    /** An HTML table for notebooks; status coloured so a glance is enough. */
    public String toHtml() {
        var color = switch (status) {
            case HEALTHY -> "#1a7f37";
            case DEGRADED -> "#9a6700";
            case UNHEALTHY -> "#cf222e";
        };
        var html = new StringBuilder("<table class=\"pipescope-health\">");
        for (var row : rows()) {
            html.append("<tr><th style=\"text-align:left\">").append(escape(row.getKey())).append("</th><td");
            if (row.getKey().equals("status")) {
                html.append(" style=\"color:").append(color).append(";font-weight:bold\"");
            }
            html.append('>').append(escape(row.getValue())).append("</td></tr>");
        }
        return html.append("</table>").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The report as JSON, for scripts ({@code pipescope health --json}). */
    public ObjectNode toJson(ObjectMapper mapper) {
        var json = mapper.createObjectNode();
        json.put("database", database);
        json.put("status", status.name().toLowerCase());
        var why = json.putArray("reasons");
        reasons.forEach(why::add);
        var noted = json.putArray("notes");
        notes.forEach(noted::add);
        json.put("connected", connected);
        var names = json.putArray("layouts");
        new java.util.TreeSet<>(layouts).forEach(k -> names.add(k.name()));
        schemaVersion.ifPresentOrElse(v -> json.put("schemaVersion", v), () -> json.putNull("schemaVersion"));
        json.put("latestSchemaVersion", latestSchemaVersion);
        var pending = json.putArray("pendingMigrations");
        pendingMigrations.forEach(pending::add);
        quickCheck.ifPresent(v -> json.put("quickCheck", v));
        databaseBytes.ifPresent(v -> json.put("databaseBytes", v));
        walBytes.ifPresent(v -> json.put("walBytes", v));
        pageCount.ifPresent(v -> json.put("pageCount", v));
        freePages.ifPresent(v -> json.put("freePages", v));
        pageSize.ifPresent(v -> json.put("pageSize", v));
        journalMode.ifPresent(v -> json.put("journalMode", v));
        busyTimeoutMs.ifPresent(v -> json.put("busyTimeoutMs", v));
        lastBackupAge.ifPresentOrElse(v -> json.put("lastBackupAgeSeconds", v.toSeconds()),
                () -> json.putNull("lastBackupAgeSeconds"));
        var counts = json.putObject("rowCounts");
        rowCounts.forEach(counts::put);
        json.put("checkedAt", Timestamps.format(checkedAt));
        return json;
    }
}
