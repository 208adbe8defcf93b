package dev.pipescope.reliability;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineStage;
import dev.pipescope.domain.StageType;
import java.nio.file.Path;

/**
 * The process the crash test kills: writes whole aggregates in a loop and prints one line after
 * each commit, so the parent knows exactly which writes were acknowledged before the kill.
 *
 * <p>Output lines: {@code committed pipeline <id> <stageCount>}.
 */
public final class CrashChild {
    private CrashChild() {}

    public static void main(String[] args) {
        var file = Path.of(args[0]);
        var prefix = args[1];
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
                System.out.println("committed pipeline " + pipeline.id() + " " + pipeline.stages().size());
                System.out.flush();
            }
        }
    }
}
