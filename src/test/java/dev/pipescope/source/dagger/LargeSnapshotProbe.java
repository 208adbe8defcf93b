package dev.pipescope.source.dagger;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.pipescope.Pipescope;
import dev.pipescope.domain.DagCache;
import java.nio.file.Path;

/**
 * Run in a JVM with a small heap by {@link LargeSnapshotMemoryTest}: saves, lists and loads a
 * snapshot of {@code nodes} nodes of ten 100 KiB values (about {@code nodes} MB of JSON). Prints {@code ok <raw bytes> <nodes>} when all worked.
 */
public final class LargeSnapshotProbe {
    private LargeSnapshotProbe() {}

    public static void main(String[] args) {
        var file = Path.of(args[0]);
        int nodes = Integer.parseInt(args[1]);
        int keys = 10;
        int valueBytes = 100 << 10;
        try (var db = Pipescope.open(file)) {
            var builder = DagCache.builder();
            for (int i = 0; i < nodes; i++) {
                // distinct values, so nothing is shared between nodes
                for (int k = 0; k < keys; k++) {
                    builder.put("node" + i, "output" + k,
                            TextNode.valueOf((i + "-" + k + "-").repeat(valueBytes / 4).substring(0, valueBytes)));
                }
            }
            db.dags().saveSnapshot("big", builder.build());
        }
        try (var db = Pipescope.openReadOnly(file)) {
            var info = db.dags().listSnapshots("big").get(0);
            var cache = db.dags().loadLatestSnapshot("big").orElseThrow();
            long chars = cache.entries().values().stream()
                    .flatMap(m -> m.values().stream()).mapToLong(v -> v.textValue().length()).sum();
            if (cache.nodeIds().size() != nodes || info.nodeCount().orElseThrow() != nodes || chars != (long) nodes * keys * valueBytes) {
                throw new IllegalStateException("snapshot came back wrong: " + info + ", " + chars + " chars");
            }
            System.out.println("ok " + info.rawBytes().orElseThrow() + " " + info.nodeCount().orElseThrow()
                    + " " + info.compressedBytes());
        }
    }
}
