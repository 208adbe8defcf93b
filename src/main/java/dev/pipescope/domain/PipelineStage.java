package dev.pipescope.domain;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of {@code pipeline_stages} with its {@code stage_parameters}.
 *
 * @param chunkSize bytes per chunk; {@code null} where the stage does not chunk (stored NULL)
 * @param parameters the stage's parameters by key, in key order
 */
public record PipelineStage(
        String id,
        String name,
        StageType stageType,
        boolean enabled,
        int stageOrder,
        String algorithm,
        boolean parallelProcessing,
        Long chunkSize,
        boolean archived,
        Instant createdAt,
        Instant updatedAt,
        Map<String, String> parameters) {

    public PipelineStage {
        Objects.requireNonNull(id, "stage id");
        Objects.requireNonNull(name, "stage name");
        Objects.requireNonNull(stageType, "stage type");
        Objects.requireNonNull(algorithm, "stage algorithm");
        Objects.requireNonNull(createdAt, "stage createdAt");
        Objects.requireNonNull(updatedAt, "stage updatedAt");
        parameters = Map.copyOf(parameters == null ? Map.of() : parameters);
    }

    /** The chunk size, if the stage has one. */
    public Optional<Long> chunkSizeIfSet() {
        return Optional.ofNullable(chunkSize);
    }

    /** Parameters sorted by key (the record itself keeps them in an unordered immutable map). */
    public Map<String, String> sortedParameters() {
        var sorted = new java.util.TreeMap<String, String>(parameters);
        return java.util.Collections.unmodifiableMap(sorted);
    }

    /** This stage with another order (used when building pipelines). */
    public PipelineStage withStageOrder(int order) {
        return new PipelineStage(id, name, stageType, enabled, order, algorithm, parallelProcessing, chunkSize,
                archived, createdAt, updatedAt, parameters);
    }

    /** This stage with the archived flag set as given. */
    public PipelineStage withArchived(boolean flag) {
        return new PipelineStage(id, name, stageType, enabled, stageOrder, algorithm, parallelProcessing, chunkSize,
                flag, createdAt, updatedAt, parameters);
    }

    /** A builder for a new stage: a fresh ULID, enabled, created now. */
    public static Builder builder(String name, StageType type, String algorithm) {
        return new Builder(name, type, algorithm);
    }

    /** Builds new stages; the order is assigned by {@link Pipeline.Builder} from the position. */
    public static final class Builder {
        private String id = Ulid.next();
        private final String name;
        private final StageType type;
        private final String algorithm;
        private boolean enabled = true;
        private int order = -1;
        private boolean parallel;
        private Long chunkSize;
        private Instant createdAt;
        private final Map<String, String> parameters = new LinkedHashMap<>();

        private Builder(String name, StageType type, String algorithm) {
            this.name = name;
            this.type = type;
            this.algorithm = algorithm;
        }

        public Builder id(String value) { this.id = value; return this; }
        public Builder enabled(boolean value) { this.enabled = value; return this; }
        public Builder order(int value) { this.order = value; return this; }
        public Builder parallel(boolean value) { this.parallel = value; return this; }
        public Builder chunkSize(long bytes) { this.chunkSize = bytes; return this; }
        public Builder createdAt(Instant value) { this.createdAt = value; return this; }
        public Builder parameter(String key, String value) { parameters.put(key, value); return this; }

        public PipelineStage build() {
            var now = createdAt != null ? createdAt : Instant.now();
            return new PipelineStage(id, name, type, enabled, order, algorithm, parallel, chunkSize, false, now, now,
                    parameters);
        }
    }
}
