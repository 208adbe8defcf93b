package dev.pipescope.reliability;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.pipescope.Pipescope;
import dev.pipescope.domain.DagCache;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineStage;
import dev.pipescope.domain.RunMeasures;
import dev.pipescope.domain.StageType;
import java.nio.file.Path;

/**
 * The process the crash test kills: writes whole aggregates, runs and DAG snapshots in a loop and
 * prints one line after each commit, so the parent knows exactly which writes were acknowledged
 * before the kill.
 *
 * <p>Output lines (one per committed transaction):
 * <ul>
 *   <li>{@code committed pipeline <id> <stageCount>}</li>
 *   <li>{@code committed run-start <runId> <pipelineId>}</li>
 *   <li>{@code committed run-finish <runId> <bytesProcessed>}</li>
 *   <li>{@code committed snapshot <dagId> <snapshotId> <nodeCount>}</li>
 * </ul>
 */
public final class CrashChild {
    private CrashChild() {}

    public static void main(String[] args) {
        var file = Path.of(args[0]);
        var prefix = args[1];
        var dagId = "dag-" + prefix;
        try (var db = Pipescope.open(file)) {
            for (int i = 0; ; i++) {
                var builder = Pipeline.builder(prefix + "-" + i);
                int extra = 1 + i % 5;
                for (int s = 0; s < extra; s++) {
                    builder.stage(PipelineStage.builder("stage-" + s, StageType.COMPRESSION, "zstd")
                            .parameter("compression_level", Integer.toString(s)));
                }
                builder.config("round", prefix);
                var pipeline = builder.build();
                db.pipelines().save(pipeline);
                acknowledge("pipeline " + pipeline.id() + " " + pipeline.stages().size());

                var run = db.runs().start(pipeline.id());
                acknowledge("run-start " + run.id() + " " + pipeline.id());
                long bytes = 1000L + i;
                db.runs().finish(run.id(), RunMeasures.ofInput(bytes).withProgress(bytes, 1, 1));
                acknowledge("run-finish " + run.id() + " " + bytes);

                var cache = DagCache.builder();
                int nodes = 1 + i % 4;
                for (int n = 0; n < nodes; n++) {
                    cache.put("node-" + n, "rows", IntNode.valueOf(i * 10 + n));
                    cache.put("node-" + n, "label", TextNode.valueOf(prefix + "/" + i));
                }
                var snapshot = db.dags().saveSnapshot(dagId, cache.build());
                acknowledge("snapshot " + dagId + " " + snapshot.id() + " " + nodes);
            }
        }
    }

    private static void acknowledge(String what) {
        System.out.println("committed " + what);
        System.out.flush();
    }
}
