package dev.pipescope.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a backup's JSON file beside it records, so the backup can be checked without trusting it.
 *
 * @param createdAt when the copy was taken (the moment of its consistent snapshot, to the millisecond)
 * @param description what the person or program taking it said about it
 * @param pipescopeVersion the Pipescope build that took it
 * @param schemaVersion the newest Flyway migration applied in the copy; empty for a file Pipescope never migrated
 * @param layouts which known table layouts the copy holds
 * @param sourceFile the database file it was taken from (absolute)
 * @param sizeBytes size of the backup file
 * @param sha256 SHA-256 of the backup file, lower-case hex
 * @param rowCounts rows per table in the copy, by table name
 * @param quickCheck what {@code PRAGMA quick_check} said of the copy, page for page the source's snapshot:
 *                   {@code ["ok"]}, or the problems found (the backup was still taken); empty for backups
 *                   taken before Pipescope checked
 */
public record BackupMetadata(Instant createdAt, String description, String pipescopeVersion,
                             Optional<Integer> schemaVersion, Set<Layout> layouts, String sourceFile,
                             long sizeBytes, String sha256, Map<String, Long> rowCounts, List<String> quickCheck) {
    static final int FORMAT = 1;

    /** True when the source was checked and {@code quick_check} found nothing wrong. */
    public boolean sourceIntact() {
        return quickCheck.equals(List.of("ok"));
    }

    public BackupMetadata {
        quickCheck = List.copyOf(quickCheck);
        layouts = layouts.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(layouts));
        rowCounts = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(rowCounts));
    }

    /** The JSON written beside the backup. */
    public ObjectNode toJson(ObjectMapper mapper) {
        var json = mapper.createObjectNode();
        json.put("format", FORMAT);
        json.put("createdAt", Timestamps.format(createdAt));
        json.put("description", description);
        json.put("pipescopeVersion", pipescopeVersion);
        if (schemaVersion.isPresent()) {
            json.put("schemaVersion", schemaVersion.get());
        } else {
            json.putNull("schemaVersion");
        }
        var names = json.putArray("layouts");
        EnumSet.copyOf(layouts.isEmpty() ? EnumSet.noneOf(Layout.class) : layouts).forEach(l -> names.add(l.name()));
        json.put("sourceFile", sourceFile);
        json.put("sizeBytes", sizeBytes);
        json.put("sha256", sha256);
        var counts = json.putObject("rowCounts");
        rowCounts.forEach(counts::put);
        var check = json.putArray("quickCheck");
        quickCheck.forEach(check::add);
        return json;
    }

    /**
     * Reads the JSON written by {@link #toJson}.
     *
     * @throws IllegalArgumentException naming the field that is missing or malformed
     */
    public static BackupMetadata fromJson(JsonNode json) {
        int format = required(json, "format").asInt(-1);
        if (format != FORMAT) {
            throw new IllegalArgumentException("metadata format " + required(json, "format")
                    + " is not the format " + FORMAT + " this Pipescope reads");
        }
        Instant createdAt;
        try {
            createdAt = Timestamps.parse(text(json, "createdAt"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("createdAt '" + json.get("createdAt").asText() + "' is not a timestamp", e);
        }
        var version = required(json, "schemaVersion");
        if (!version.isNull() && !version.canConvertToInt()) {
            throw new IllegalArgumentException("schemaVersion " + version + " is not a number");
        }
        var layouts = EnumSet.noneOf(Layout.class);
        for (var name : required(json, "layouts")) {
            try {
                layouts.add(Layout.valueOf(name.asText()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layouts holds '" + name.asText() + "', which this Pipescope does not know", e);
            }
        }
        var size = required(json, "sizeBytes");
        if (!size.canConvertToLong()) {
            throw new IllegalArgumentException("sizeBytes " + size + " is not a number");
        }
        var counts = new LinkedHashMap<String, Long>();
        var countsNode = required(json, "rowCounts");
        List<String> names = new ArrayList<>();
        countsNode.fieldNames().forEachRemaining(names::add);
        for (var name : names) {
            counts.put(name, countsNode.get(name).asLong());
        }
        // absent in metadata written before backups checked their source
        var check = new ArrayList<String>();
        if (json.has("quickCheck")) {
            json.get("quickCheck").forEach(line -> check.add(line.asText()));
        }
        return new BackupMetadata(createdAt, text(json, "description"), text(json, "pipescopeVersion"),
                version.isNull() ? Optional.empty() : Optional.of(version.asInt()), layouts,
                text(json, "sourceFile"), size.asLong(), text(json, "sha256"), counts, check);
    }

    private static JsonNode required(JsonNode json, String field) {
        var value = json.get(field);
        if (value == null) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return value;
    }

    private static String text(JsonNode json, String field) {
        var value = required(json, field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' is " + value + ", not text");
        }
        return value.asText();
    }
}
