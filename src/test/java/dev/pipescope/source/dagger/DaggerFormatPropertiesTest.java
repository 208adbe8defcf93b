package dev.pipescope.source.dagger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.pipescope.domain.DagCache;
import dev.pipescope.domain.ExecutionTree;
import dev.pipescope.domain.TreeEdge;
import dev.pipescope.domain.TreeNode;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the content, what is written reads back equal, and a plain reader sees dagger's shape. */
class DaggerFormatPropertiesTest {
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(12)
                .withChars("abc_XYZ-/ .é€\"\\\n").withCharRange('0', '9');
    }

    /** Values as a JSON parser makes them: the node type of a number is not part of JSON (5L reads as int 5). */
    @Provide
    Arbitrary<JsonNode> values() {
        return rawValues().map(v -> {
            try {
                return PLAIN.readTree(v.toString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Arbitrary<JsonNode> rawValues() {
        return Arbitraries.oneOf(
                Arbitraries.integers().map(i -> (JsonNode) F.numberNode(i)),
                Arbitraries.longs().map(l -> (JsonNode) F.numberNode(l)),
                Arbitraries.doubles().between(-1e9, 1e9).map(d -> (JsonNode) F.numberNode(d)),
                Arbitraries.strings().ofMaxLength(40).map(s -> (JsonNode) F.textNode(s)),
                Arbitraries.of(true, false).map(b -> (JsonNode) F.booleanNode(b)),
                Arbitraries.just((JsonNode) F.nullNode()),
                Arbitraries.integers().list().ofMaxSize(5).map(list -> {
                    var array = F.arrayNode();
                    list.forEach(array::add);
                    return (JsonNode) array;
                }));
    }

    @Provide
    Arbitrary<DagCache> caches() {
        var entry = Combinators.combine(names(), names(), values()).as(List::<Object>of);
        return entry.list().ofMaxSize(20).map(entries -> {
            var builder = DagCache.builder();
            entries.forEach(e -> builder.put((String) e.get(0), (String) e.get(1), (JsonNode) e.get(2)));
            return builder.build();
        });
    }

    @Property(tries = 200)
    void snapshotsRoundTripAndAreDaggersNestedJson(@ForAll("caches") DagCache cache) throws Exception {
        var encoded = DaggerFormat.encodeSnapshot(cache);
        assertEquals(cache, DaggerFormat.decodeSnapshot(encoded.blob(), 1 << 20, "property"));
        assertEquals(cache.nodeIds().size(), DaggerFormat.scanSnapshot(encoded.blob(), 1 << 20, "property").value());
        byte[] inner = com.github.luben.zstd.Zstd.decompress(encoded.blob(),
                (int) com.github.luben.zstd.Zstd.getFrameContentSize(encoded.blob()));
        var json = PLAIN.readTree(com.github.luben.zstd.Zstd.decompress(inner,
                (int) com.github.luben.zstd.Zstd.getFrameContentSize(inner)));
        assertEquals(cache.nodeIds().size(), json.size());
        cache.entries().forEach((node, keys) -> keys.forEach((key, value) ->
                assertEquals(value, json.get(node).get(key).get("value"))));
    }

    @Property(tries = 200)
    void artifactValuesRoundTrip(@ForAll("values") JsonNode value) throws Exception {
        var text = DaggerFormat.encodeValue(value);
        assertEquals(value, PLAIN.readTree(text).get("value"));
        assertEquals(value, DaggerFormat.decodeValue(text, "property"));
    }

    @Provide
    Arbitrary<ExecutionTree> trees() {
        var node = Combinators.combine(names(), Arbitraries.of(true, false),
                Arbitraries.strings().ofMaxLength(30).list().ofMaxSize(3),
                Arbitraries.longs().between(0, 4_000_000_000L * 1_000_000_000L), Arbitraries.of(0, 1, 2, 3),
                names().optional(), names().optional())
                .as((id, success, retries, nanos, precision, channel, messageId) -> List.<Object>of(id, success,
                        retries, nanos, precision, channel, messageId));
        return node.list().ofMaxSize(15).map(rows -> {
            var nodes = new ArrayList<TreeNode>();
            var edges = new ArrayList<TreeEdge>();
            for (int i = 0; i < rows.size(); i++) {
                var r = rows.get(i);
                long nanos = (Long) r.get(3);
                int precision = (Integer) r.get(4);
                // whole seconds, millis, micros and nanos: every fraction width chrono writes
                long unit = precision == 0 ? 1_000_000_000L : precision == 1 ? 1_000_000L : precision == 2 ? 1_000L : 1L;
                var time = LocalDateTime.of(1970, 1, 1, 0, 0).plusNanos(nanos / unit * unit);
                @SuppressWarnings("unchecked")
                var retries = (List<String>) r.get(2);
                boolean success = (Boolean) r.get(1);
                @SuppressWarnings("unchecked")
                var channel = (Optional<String>) r.get(5);
                @SuppressWarnings("unchecked")
                var messageId = (Optional<String>) r.get(6);
                nodes.add(new TreeNode(i * 2, (String) r.get(0), success, retries,
                        success ? Optional.empty() : Optional.of("failed: " + r.get(0)), "dag/" + r.get(0), time,
                        channel, messageId));
                if (i > 0) {
                    edges.add(new TreeEdge((i - 1) * 2, i * 2, (String) rows.get(i - 1).get(0), TreeEdge.EXECUTED_AFTER));
                }
            }
            return new ExecutionTree(nodes, edges);
        });
    }

    @Property(tries = 200)
    void treesRoundTrip(@ForAll("trees") ExecutionTree tree) {
        var blob = DaggerFormat.encodeTree(tree);
        assertEquals(tree, DaggerFormat.decodeTree(blob, Blobs.DEFAULT_MAX_DECODED_BYTES, "property"));
    }
}
