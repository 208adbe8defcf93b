package dev.pipescope.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of Hyperpage's {@code tool_configs}.
 *
 * @param config the JSON config, null when the column is NULL
 * @param refreshIntervalMs null when unset
 */
public record ToolConfig(String toolName, boolean enabled, JsonNode config, Long refreshIntervalMs,
                         boolean notifications, Instant updatedAt) {
    public ToolConfig {
        Objects.requireNonNull(toolName, "tool name");
    }
}
