package dev.pipescope.source.dagger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.pipescope.domain.DagCache;
import dev.pipescope.domain.ExecutionTree;
import dev.pipescope.domain.SnapshotInfo;
import dev.pipescope.domain.Timestamps;
import dev.pipescope.domain.TreeEdge;
import dev.pipescope.domain.TreeNode;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.source.dagger.Blobs.FormatProblem;
import dev.pipescope.source.dagger.Blobs.Layers;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The bytes dagger's {@code SqliteCache} reads and writes, shared by the SQLite store and the
 * in-memory one (which keeps the same bytes, so sizes and failures match).
 *
 * <ul>
 *   <li>artifact values: JSON text {@code {"value": <any>}} as {@code save_cache} writes them, or
 *       any JSON as {@code set_json} writes it (see {@link dev.pipescope.domain.ArtifactForm});
 *   <li>execution trees: zstd (level 3) of {@code {"nodes": [[index, node]...], "edges": [[src, dst,
 *       {parent, label}]...]}} with zone-less node timestamps;
 *   <li>snapshots: zstd of zstd of {@code {node: {key: {"value": <any>}}}} (dagger compresses the
 *       already compressed cache again); reading unwraps while the bytes start with the zstd magic;
 *   <li>execution state: zstd of the payload; zero bytes mean "none".
 * </ul>
 */
public final class DaggerFormat {
    /** How deep dagger nests the snapshot payload. */
    public static final int SNAPSHOT_LAYERS = 2;

    private DaggerFormat() {}

    // ---- artifact values ------------------------------------------------------------------

    /** {@code {"value": <value>}} as compact JSON text. */
    public static String encodeValue(JsonNode value) {
        var wrapper = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        wrapper.set("value", value == null ? NullNode.getInstance() : value);
        try {
            return Blobs.JSON_WRITER.writeValueAsString(wrapper);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree: " + e.getMessage(), e);
        }
    }

    /**
     * The value inside {@code {"value": ...}}, strictly (the form of snapshot entries, which only
     * {@code save_snapshot} writes). Artifact rows may hold either form: see {@link #readArtifact}.
     */
    public static JsonNode decodeValue(String text, String where) {
        return unwrap(parse(text, where), where);
    }

    /** An artifact row's value and the form it was stored in. */
    public record StoredValue(dev.pipescope.domain.ArtifactForm form, JsonNode value) {}

    /**
     * Reads an artifact row written by either of dagger's writers: an object whose only member is
     * {@code value} is the cache form ({@code save_cache}), anything else is JSON as given
     * ({@code set_json}). Only text that is not JSON at all (or NULL) is refused.
     *
     * @throws CorruptDataException starting with {@code where}, for NULL or invalid JSON
     */
    public static StoredValue readArtifact(String text, String where) {
        var stored = parse(text, where);
        if (stored != null && stored.isObject() && stored.size() == 1 && stored.has("value")) {
            return new StoredValue(dev.pipescope.domain.ArtifactForm.CACHE, stored.get("value"));
        }
        return new StoredValue(dev.pipescope.domain.ArtifactForm.JSON, stored);
    }

    private static JsonNode parse(String text, String where) {
        if (text == null) {
            throw new CorruptDataException(where + ": value is NULL");
        }
        JsonNode stored;
        try {
            stored = Blobs.JSON_READER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CorruptDataException(where + ": invalid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (stored == null || stored.isMissingNode()) {
            throw new CorruptDataException(where + ": value is empty, not JSON");
        }
        return stored;
    }

    private static JsonNode unwrap(JsonNode wrapper, String where) {
        if (wrapper == null || !wrapper.isObject() || !wrapper.has("value")) {
            throw new CorruptDataException(where + ": expected {\"value\": ...}, found "
                    + abbreviate(String.valueOf(wrapper)));
        }
        return wrapper.get("value");
    }

    // ---- execution trees ------------------------------------------------------------------

    /** zstd level 3 of the tree in dagger's serialised form. */
    public static byte[] encodeTree(ExecutionTree tree) {
        var encoded = Blobs.writeJson(1, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("nodes");
            for (var node : tree.nodes()) {
                g.writeStartArray();
                g.writeNumber(node.index());
                g.writeStartObject();
                g.writeStringField("node_id", node.nodeId());
                g.writeObjectFieldStart("outcome");
                g.writeStringField("node_id", node.nodeId());
                g.writeBooleanField("success", node.success());
                g.writeArrayFieldStart("retry_messages");
                for (var message : node.retryMessages()) {
                    g.writeString(message);
                }
                g.writeEndArray();
                writeOptional(g, "final_error", node.finalError());
                g.writeEndObject();
                g.writeStringField("cache_ref", node.cacheRef());
                g.writeStringField("timestamp", formatNaive(node.timestamp()));
                writeOptional(g, "channel", node.channel());
                writeOptional(g, "message_id", node.messageId());
                g.writeEndObject();
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("edges");
            for (var edge : tree.edges()) {
                g.writeStartArray();
                g.writeNumber(edge.source());
                g.writeNumber(edge.target());
                g.writeStartObject();
                g.writeStringField("parent", edge.parent());
                g.writeStringField("label", edge.label());
                g.writeEndObject();
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        return encoded.blob();
    }

    private static void writeOptional(com.fasterxml.jackson.core.JsonGenerator g, String field,
                                      Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(field, value.get());
        } else {
            g.writeNullField(field);
        }
    }

    /** Decodes a stored tree. @throws CorruptDataException starting with {@code where} */
    public static ExecutionTree decodeTree(byte[] blob, long maxBytes, String where) {
        return Blobs.readJson(blob, Layers.ONE, maxBytes, where, parser -> {
            JsonNode root = Blobs.JSON_READER.readTree(parser);
            try {
                return treeOf(root);
            } catch (PipescopeException e) {
                // a tree the model rejects (dangling edge, duplicate index) is a structure problem of the payload
                throw new FormatProblem(e.getMessage());
            }
        }).value();
    }

    private static ExecutionTree treeOf(JsonNode root) throws FormatProblem {
        if (root == null || !root.isObject()) {
            throw new FormatProblem("expected a JSON object with nodes and edges");
        }
        var nodes = new ArrayList<TreeNode>();
        for (var entry : array(root, "nodes", "tree")) {
            if (!entry.isArray() || entry.size() != 2 || !entry.get(0).canConvertToInt() || !entry.get(1).isObject()) {
                throw new FormatProblem("tree node entry is not [index, {...}]: " + abbreviate(entry.toString()));
            }
            int index = entry.get(0).intValue();
            var node = entry.get(1);
            var what = "tree node " + index;
            var outcome = node.get("outcome");
            if (outcome == null || !outcome.isObject()) {
                throw new FormatProblem(what + " has no outcome object");
            }
            var retries = new ArrayList<String>();
            for (var message : array(outcome, "retry_messages", what + " outcome")) {
                retries.add(message.asText());
            }
            var success = outcome.get("success");
            if (success == null || !success.isBoolean()) {
                throw new FormatProblem(what + " outcome has no boolean success");
            }
            nodes.add(new TreeNode(index, text(node, "node_id", what), success.booleanValue(), retries,
                    optionalText(outcome, "final_error"), text(node, "cache_ref", what),
                    parseNaive(text(node, "timestamp", what), what),
                    optionalText(node, "channel"), optionalText(node, "message_id")));
        }
        var edges = new ArrayList<TreeEdge>();
        for (var entry : array(root, "edges", "tree")) {
            if (!entry.isArray() || entry.size() != 3 || !entry.get(0).canConvertToInt()
                    || !entry.get(1).canConvertToInt() || !entry.get(2).isObject()) {
                throw new FormatProblem("tree edge entry is not [source, target, {...}]: "
                        + abbreviate(entry.toString()));
            }
            var weight = entry.get(2);
            var what = "tree edge " + entry.get(0).intValue() + " -> " + entry.get(1).intValue();
            edges.add(new TreeEdge(entry.get(0).intValue(), entry.get(1).intValue(), text(weight, "parent", what),
                    text(weight, "label", what)));
        }
        return new ExecutionTree(nodes, edges);
    }

    private static JsonNode array(JsonNode parent, String field, String what) throws FormatProblem {
        var array = parent.get(field);
        if (array == null || !array.isArray()) {
            throw new FormatProblem(what + " has no '" + field + "' array");
        }
        return array;
    }

    private static String text(JsonNode parent, String field, String what) throws FormatProblem {
        var value = parent.get(field);
        if (value == null || !value.isTextual()) {
            throw new FormatProblem(what + " has no text '" + field + "'");
        }
        return value.textValue();
    }

    private static Optional<String> optionalText(JsonNode parent, String field) {
        var value = parent.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    /** chrono's NaiveDateTime form: no zone, fraction of 0, 3, 6 or 9 digits, the fewest that are exact. */
    public static String formatNaive(LocalDateTime time) {
        var base = Timestamps.format(time.withNano(0).toInstant(ZoneOffset.UTC));
        var sb = new StringBuilder(base.substring(0, base.length() - "+00:00".length()));
        int nanos = time.getNano();
        if (nanos != 0) {
            String digits;
            if (nanos % 1_000_000 == 0) {
                digits = String.format("%03d", nanos / 1_000_000);
            } else if (nanos % 1_000 == 0) {
                digits = String.format("%06d", nanos / 1_000);
            } else {
                digits = String.format("%09d", nanos);
            }
            sb.append('.').append(digits);
        }
        return sb.toString();
    }

    static LocalDateTime parseNaive(String text, String what) throws FormatProblem {
        try {
            return LocalDateTime.parse(text);
        } catch (DateTimeParseException e) {
            try {
                // a zone-qualified time from another writer: keep its UTC wall time
                return LocalDateTime.ofInstant(Timestamps.parse(text), ZoneOffset.UTC);
            } catch (CorruptDataException notATime) {
                throw new FormatProblem(what + " has timestamp '" + text + "', which is not a date-time");
            }
        }
    }

    // ---- snapshots --------------------------------------------------------------------------

    /** The cache as dagger stores a snapshot: {@value #SNAPSHOT_LAYERS} zstd layers over the JSON. */
    public static Blobs.Encoded encodeSnapshot(DagCache cache) {
        return Blobs.writeJson(SNAPSHOT_LAYERS, g -> {
            g.writeStartObject();
            for (var node : cache.entries().entrySet()) {
                g.writeObjectFieldStart(node.getKey());
                for (var key : node.getValue().entrySet()) {
                    g.writeObjectFieldStart(key.getKey());
                    g.writeFieldName("value");
                    Blobs.JSON_WRITER.writeValue(g, key.getValue());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    /** Decodes a snapshot payload node by node (never the whole document as one tree). */
    public static DagCache decodeSnapshot(byte[] blob, long maxBytes, String where) {
        return decodeSnapshotSized(blob, maxBytes, where).value();
    }

    /** A snapshot with its listing, from one pass over the payload. */
    public record ListedSnapshot(SnapshotInfo info, DagCache cache) {}

    /**
     * {@link #describe} and {@link #decodeSnapshot} of one row in one pass.
     *
     * @throws CorruptDataException naming {@code where} when the payload is unreadable
     */
    public static ListedSnapshot decodeListed(long id, String dagId, String createdAtText, byte[] blob, long maxBytes,
                                              String where) {
        var decoded = decodeSnapshotSized(blob, maxBytes, where);
        Optional<Instant> createdAt;
        Optional<String> problem = Optional.empty();
        try {
            createdAt = Optional.of(Timestamps.parse(createdAtText));
        } catch (CorruptDataException e) {
            createdAt = Optional.empty();
            problem = Optional.of(where + ": created_at '" + createdAtText + "' is not a timestamp");
        }
        var cache = decoded.value();
        return new ListedSnapshot(new SnapshotInfo(id, dagId, createdAt, String.valueOf(createdAtText),
                blob == null ? 0 : blob.length, OptionalLong.of(decoded.rawBytes()),
                OptionalInt.of(cache.entries().size()), problem), cache);
    }

    private static Blobs.Decoded<DagCache> decodeSnapshotSized(byte[] blob, long maxBytes, String where) {
        return Blobs.readJson(blob, Layers.NESTED, maxBytes, where, parser -> {
            var entries = new TreeMap<String, SortedMap<String, JsonNode>>();
            expect(parser.nextToken(), JsonToken.START_OBJECT, "the snapshot");
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                var nodeId = parser.currentName();
                expect(parser.nextToken(), JsonToken.START_OBJECT, "snapshot node '" + nodeId + "'");
                // one tree per node, not per key: each readTree call sets up a deserialisation context
                JsonNode node = Blobs.JSON_READER.readTree(parser);
                var keys = new TreeMap<String, JsonNode>();
                for (var fields = node.fields(); fields.hasNext(); ) {
                    var field = fields.next();
                    var wrapper = field.getValue();
                    if (wrapper == null || !wrapper.isObject() || !wrapper.has("value")) {
                        throw new FormatProblem("snapshot node '" + nodeId + "' key '" + field.getKey()
                                + "' is not {\"value\": ...}: " + abbreviate(String.valueOf(wrapper)));
                    }
                    keys.put(field.getKey(), wrapper.get("value"));
                }
                if (nodeId.isEmpty() || keys.containsKey("")) {
                    throw new FormatProblem("snapshot has an empty node id or key");
                }
                entries.put(nodeId, keys);
            }
            return new DagCache(entries);
        });
    }

    /** The node count and raw size of a snapshot payload, read as a stream without keeping values. */
    public static Blobs.Decoded<Integer> scanSnapshot(byte[] blob, long maxBytes, String where) {
        return Blobs.readJson(blob, Layers.NESTED, maxBytes, where, parser -> {
            expect(parser.nextToken(), JsonToken.START_OBJECT, "the snapshot");
            int nodes = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                var nodeId = parser.currentName();
                expect(parser.nextToken(), JsonToken.START_OBJECT, "snapshot node '" + nodeId + "'");
                parser.skipChildren();
                nodes++;
            }
            return nodes;
        });
    }

    /** A listing entry; a payload that does not decode is listed with its problem instead of failing. */
    public static SnapshotInfo describe(long id, String dagId, String createdAtText, byte[] blob, long maxBytes,
                                        String where) {
        Optional<Instant> createdAt;
        try {
            createdAt = Optional.of(Timestamps.parse(createdAtText));
        } catch (CorruptDataException e) {
            createdAt = Optional.empty();
        }
        long size = blob == null ? 0 : blob.length;
        try {
            var scan = scanSnapshot(blob, maxBytes, where);
            var problem = createdAt.isPresent() ? Optional.<String>empty()
                    : Optional.of(where + ": created_at '" + createdAtText + "' is not a timestamp");
            return new SnapshotInfo(id, dagId, createdAt, String.valueOf(createdAtText), size,
                    OptionalLong.of(scan.rawBytes()), OptionalInt.of(scan.value()), problem);
        } catch (CorruptDataException e) {
            return new SnapshotInfo(id, dagId, createdAt, String.valueOf(createdAtText), size, OptionalLong.empty(),
                    OptionalInt.empty(), Optional.of(e.getMessage()));
        }
    }

    /**
     * The time to stamp a new snapshot with: now, or just after the DAG's latest one, so that
     * {@code UNIQUE(dag_id, created_at)} never collides and the new row sorts last.
     */
    public static Instant nextSnapshotTime(Instant now, Optional<String> latestText) {
        if (latestText.isEmpty()) {
            return now;
        }
        Instant latest;
        try {
            latest = Timestamps.parse(latestText.get());
        } catch (CorruptDataException e) {
            // an unreadable latest time cannot order anything; the clock alone decides
            return now;
        }
        return now.isAfter(latest) ? now : latest.plusNanos(1);
    }

    /**
     * The created_at text for a new snapshot: dagger's current {@code ...123456789Z} style, or for
     * files in its older layout SQLite's {@code YYYY-MM-DD HH:MM:SS} extended by nine fraction
     * digits, which sorts correctly among that file's existing rows.
     */
    public static String snapshotTimeText(Instant time, boolean legacyLayout) {
        if (!legacyLayout) {
            return Timestamps.formatNanosZ(time);
        }
        var z = Timestamps.formatNanosZ(time);
        return z.substring(0, 10) + ' ' + z.substring(11, z.length() - 1);
    }

    // ---- execution state --------------------------------------------------------------------

    /** zstd of the payload (an empty payload becomes the 9-byte frame dagger writes for "none"). */
    public static byte[] encodeState(byte[] payload) {
        if (payload == null) {
            throw new dev.pipescope.error.InvalidArgumentException(
                    "execution state payload is null; an empty array means \"none\"");
        }
        return Blobs.compress(payload);
    }

    /** The payload; empty for a zero-length one ("none"). */
    public static Optional<byte[]> decodeState(byte[] blob, long maxBytes, String where) {
        var payload = Blobs.decompress(blob, maxBytes, where);
        return payload.length == 0 ? Optional.empty() : Optional.of(payload);
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static void expect(JsonToken actual, JsonToken expected, String what) throws FormatProblem {
        if (actual != expected) {
            throw new FormatProblem("expected " + what + " to be a JSON object, found "
                    + (actual == null ? "the end of the data" : actual.asString() == null ? actual.name() : actual.asString()));
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    /** A DAG, node or key name must be non-empty text. @return the name */
    public static String requireName(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new dev.pipescope.error.InvalidArgumentException(what + " is " + (value == null ? "null" : "empty"));
        }
        return value;
    }

    /**
     * Where a row is, for error messages: {@code snapshots row 7 (dag 'nightly') in /data/cache.db}, or without
     * the number where the engine has none ({@code artifacts (dag 'nightly') in postgresql://...}).
     */
    public static String where(String table, Long rowId, String dagId, String file) {
        return table + (rowId == null ? "" : " row " + rowId) + " (dag '" + dagId + "') in " + file;
    }

}
