package dev.pipescope.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A pipeline aggregate: one row of {@code pipelines}, its stages (ordered by stage order) and its
 * {@code pipeline_configuration} entries. Saved and loaded as a whole.
 *
 * <pre>{@code
 * var p = Pipeline.builder("compress-logs")
 *         .stage(PipelineStage.builder("compress", StageType.COMPRESSION, "zstd").parameter("compression_level", "3"))
 *         .config("max_workers", "4")
 *         .build();      // adds the input_checksum / output_checksum stages upstream requires
 * }</pre>
 */
public record Pipeline(
        String id,
        String name,
        boolean archived,
        Instant createdAt,
        Instant updatedAt,
        List<PipelineStage> stages,
        Map<String, String> configuration) {

    public Pipeline {
        Objects.requireNonNull(id, "pipeline id");
        Objects.requireNonNull(name, "pipeline name");
        Objects.requireNonNull(createdAt, "pipeline createdAt");
        Objects.requireNonNull(updatedAt, "pipeline updatedAt");
        stages = (stages == null ? List.<PipelineStage>of() : stages).stream()
                .sorted(Comparator.comparingInt(PipelineStage::stageOrder))
                .toList();
        configuration = Map.copyOf(configuration == null ? Map.of() : configuration);
    }

    /** The stage algorithms in order, joined with arrows: {@code sha256 → zstd → aes256gcm → sha256}. */
    public String stageChain() {
        return stages.stream().map(PipelineStage::algorithm).collect(Collectors.joining(" → "));
    }

    /** This pipeline with another name and the same everything else. */
    public Pipeline withName(String newName) {
        return new Pipeline(id, newName, archived, createdAt, updatedAt, stages, configuration);
    }

    /** This pipeline with other stages. */
    public Pipeline withStages(List<PipelineStage> newStages) {
        return new Pipeline(id, name, archived, createdAt, updatedAt, newStages, configuration);
    }

    /** This pipeline with another configuration. */
    public Pipeline withConfiguration(Map<String, String> newConfiguration) {
        return new Pipeline(id, name, archived, createdAt, updatedAt, stages, newConfiguration);
    }

    /** This pipeline with another update time. */
    public Pipeline withUpdatedAt(Instant time) {
        return new Pipeline(id, name, archived, createdAt, time, stages, configuration);
    }

    /** A builder for a new pipeline: a fresh ULID, created now, with upstream's checksum stages around the given ones. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds new pipelines the way the upstream tool creates them. */
    public static final class Builder {
        private String id = Ulid.next();
        private final String name;
        private Instant createdAt;
        private boolean checksumStages = true;
        private final List<PipelineStage.Builder> stages = new ArrayList<>();
        private final Map<String, String> configuration = new java.util.LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder id(String value) { this.id = value; return this; }
        public Builder createdAt(Instant value) { this.createdAt = value; return this; }
        public Builder stage(PipelineStage.Builder stage) { stages.add(stage); return this; }
        public Builder config(String key, String value) { configuration.put(key, value); return this; }

        /** Leave out the {@code input_checksum}/{@code output_checksum} stages upstream adds to every pipeline. */
        public Builder withoutChecksumStages() { this.checksumStages = false; return this; }

        public Pipeline build() {
            var now = createdAt != null ? createdAt : Instant.now();
            var all = new ArrayList<PipelineStage.Builder>();
            if (checksumStages) {
                all.add(PipelineStage.builder("input_checksum", StageType.CHECKSUM, "sha256").parallel(true));
            }
            all.addAll(stages);
            if (checksumStages) {
                all.add(PipelineStage.builder("output_checksum", StageType.CHECKSUM, "sha256").parallel(true));
            }
            var built = new ArrayList<PipelineStage>();
            for (int i = 0; i < all.size(); i++) {
                var stage = all.get(i).createdAt(now).build();
                built.add(stage.stageOrder() < 0 ? stage.withStageOrder(i) : stage);
            }
            return new Pipeline(id, name, false, now, now, built, configuration);
        }
    }
}
