package dev.pipescope.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.pipescope.error.InvalidArgumentException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A DAG's cache as dagger keeps it: per node id, per key, one JSON value. The maps are immutable
 * copies; the JSON values are Jackson trees, held as given (copying every value of a large snapshot
 * would double its cost) and so to be treated as read-only. {@link #get} hands out a copy. Values
 * are stored as JSON text, so they read back as a JSON parser makes them: a {@code LongNode} 5 comes
 * back as an {@code IntNode} 5, which Jackson's {@code equals} tells apart.
 *
 * <pre>{@code
 * var cache = DagCache.builder().put("fetch", "rows", IntNode.valueOf(42)).build();
 * db.dags().saveCache("nightly", cache);
 * }</pre>
 *
 * @param entries node id, then key, then value (a Java {@code null} value is stored as JSON null)
 */
public record DagCache(SortedMap<String, SortedMap<String, JsonNode>> entries) {

    public DagCache {
        if (entries == null) {
            throw new InvalidArgumentException("cache entries are null");
        }
        var copy = new TreeMap<String, SortedMap<String, JsonNode>>();
        for (var node : entries.entrySet()) {
            requireName(node.getKey(), "node id");
            if (node.getValue() == null) {
                throw new InvalidArgumentException("node '" + node.getKey() + "' has a null map of keys");
            }
            boolean hasNull = false;
            for (var key : node.getValue().entrySet()) {
                requireName(key.getKey(), "key of node '" + node.getKey() + "'");
                hasNull |= key.getValue() == null;
            }
            copy.put(node.getKey(), Collections.unmodifiableSortedMap(copyOf(node.getValue(), hasNull)));
        }
        entries = Collections.unmodifiableSortedMap(copy);
    }

    /** A copy in key order; from a naturally ordered map it is built in one linear pass. */
    private static TreeMap<String, JsonNode> copyOf(SortedMap<String, JsonNode> keys, boolean hasNull) {
        if (!hasNull && keys.comparator() == null) {
            return new TreeMap<>(keys);
        }
        var copy = new TreeMap<String, JsonNode>();
        keys.forEach((key, value) -> copy.put(key, value == null ? NullNode.getInstance() : value));
        return copy;
    }

    private static void requireName(String name, String what) {
        if (name == null || name.isEmpty()) {
            throw new InvalidArgumentException("cache " + what + " is " + (name == null ? "null" : "empty"));
        }
    }

    /** An empty cache. */
    public static DagCache empty() {
        return new DagCache(new TreeMap<>());
    }

    /** A builder that adds entries one by one. */
    public static Builder builder() {
        return new Builder();
    }

    /** A copy of one value. */
    public Optional<JsonNode> get(String nodeId, String key) {
        var keys = entries.get(nodeId);
        var value = keys == null ? null : keys.get(key);
        return Optional.ofNullable(value).map(JsonNode::deepCopy);
    }

    /** The node ids, sorted. */
    public java.util.Set<String> nodeIds() {
        return entries.keySet();
    }

    /** How many (node, key) entries the cache holds. */
    public int size() {
        return entries.values().stream().mapToInt(Map::size).sum();
    }

    /** True when it holds no entries. */
    public boolean isEmpty() {
        return size() == 0;
    }

    /** A short description: a large cache printed in a notebook should not flood it. */
    @Override
    public String toString() {
        return "DagCache[" + entries.size() + " nodes, " + size() + " entries]";
    }

    /** Collects entries; {@link #build()} copies them, so the builder can be reused. */
    public static final class Builder {
        private final TreeMap<String, SortedMap<String, JsonNode>> entries = new TreeMap<>();

        private Builder() {}

        /** Adds or replaces one entry. */
        public Builder put(String nodeId, String key, JsonNode value) {
            requireName(nodeId, "node id");
            requireName(key, "key of node '" + nodeId + "'");
            entries.computeIfAbsent(nodeId, n -> new TreeMap<>()).put(key,
                    value == null ? NullNode.getInstance() : value);
            return this;
        }

        public DagCache build() {
            return new DagCache(entries);
        }
    }
}
