package dev.pipescope.domain;

import dev.pipescope.error.DuplicateIdException;
import dev.pipescope.error.DuplicateNameException;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.InvalidPipelineException;
import java.util.HashSet;
import java.util.List;

/** The rules every stored pipeline keeps, checked the same way by every repository before it writes. */
public final class PipelineRules {
    private PipelineRules() {}

    /** @throws InvalidPipelineException naming the pipeline and the broken rule */
    public static void validate(Pipeline pipeline) {
        if (pipeline == null) {
            throw new InvalidArgumentException("pipeline is null");
        }
        var who = "pipeline '" + pipeline.name() + "' (" + pipeline.id() + ")";
        if (pipeline.id().isBlank()) {
            throw new InvalidPipelineException("pipeline '" + pipeline.name() + "' has a blank id");
        }
        if (pipeline.name().isBlank()) {
            throw new InvalidPipelineException("pipeline " + pipeline.id() + " has a blank name");
        }
        text(pipeline.id(), who + " id");
        text(pipeline.name(), "pipeline " + pipeline.id() + " name");
        var orders = new HashSet<Integer>();
        var ids = new HashSet<String>();
        var names = new HashSet<String>();
        for (var stage : pipeline.stages()) {
            var where = who + ", stage '" + stage.name() + "'";
            if (stage.id().isBlank()) {
                throw new InvalidPipelineException(where + " has a blank id");
            }
            if (stage.name().isBlank()) {
                throw new InvalidPipelineException(who + " has a stage with a blank name (" + stage.id() + ")");
            }
            if (stage.algorithm().isBlank()) {
                throw new InvalidPipelineException(where + " has a blank algorithm");
            }
            if (stage.stageOrder() < 0) {
                throw new InvalidPipelineException(where + " has a negative stage order " + stage.stageOrder());
            }
            if (stage.chunkSize() != null && stage.chunkSize() <= 0) {
                throw new InvalidPipelineException(where + " has chunk size " + stage.chunkSize() + "; it must be positive");
            }
            if (!orders.add(stage.stageOrder())) {
                throw new InvalidPipelineException(who + " has two stages with stage order " + stage.stageOrder());
            }
            if (!ids.add(stage.id())) {
                throw new InvalidPipelineException(who + " has two stages with id " + stage.id());
            }
            if (!names.add(stage.name())) {
                throw new InvalidPipelineException(who + " has two stages named '" + stage.name() + "'");
            }
            text(stage.id(), where + " id");
            text(stage.name(), where + " name");
            text(stage.algorithm(), where + " algorithm");
            for (var entry : stage.parameters().entrySet()) {
                if (entry.getKey().isBlank()) {
                    throw new InvalidPipelineException(where + " has a parameter with a blank key");
                }
                text(entry.getKey(), where + " parameter key");
                text(entry.getValue(), where + " parameter '" + entry.getKey() + "'");
            }
        }
        for (var entry : pipeline.configuration().entrySet()) {
            if (entry.getKey().isBlank()) {
                throw new InvalidPipelineException(who + " has a configuration entry with a blank key");
            }
            text(entry.getKey(), who + " configuration key");
            text(entry.getValue(), who + " configuration '" + entry.getKey() + "'");
        }
    }

    /**
     * Rejects text SQLite cannot store faithfully: an unpaired UTF-16 surrogate has no UTF-8 form and
     * would come back as '?'.
     */
    private static void text(String value, String what) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidPipelineException(what + " is not valid Unicode: unpaired surrogate U+"
                        + String.format("%04X", (int) c) + " at index " + i);
            }
        }
    }

    /** Validates a batch and rejects names or ids used twice within it. */
    public static void validateBatch(List<Pipeline> pipelines) {
        if (pipelines == null) {
            throw new InvalidArgumentException("pipelines list is null");
        }
        var names = new HashSet<String>();
        var ids = new HashSet<String>();
        var stageIds = new HashSet<String>();
        for (var pipeline : pipelines) {
            validate(pipeline);
            if (!names.add(pipeline.name())) {
                throw new DuplicateNameException("pipeline name '" + pipeline.name() + "' appears twice in the batch");
            }
            if (!ids.add(pipeline.id())) {
                throw new DuplicateIdException("pipeline id " + pipeline.id() + " appears twice in the batch");
            }
            for (var stage : pipeline.stages()) {
                if (!stageIds.add(stage.id())) {
                    throw new DuplicateIdException("stage id " + stage.id() + " appears twice in the batch");
                }
            }
        }
    }
}
