package dev.pipescope.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * Hyperpage's per-tool settings ({@code tool_configs}), config JSON read and written through Jackson.
 * Reads are cached per open database and refreshed by every write through it; {@link #invalidate()}
 * forgets the cache when another process may have changed the table.
 */
public interface ToolConfigs {

    Optional<ToolConfig> find(String toolName);

    /** Every tool's settings, by tool name. */
    List<ToolConfig> list();

    /** The config bound to {@code type} through Jackson. @throws dev.pipescope.error.CorruptDataException when it does not fit */
    <T> Optional<T> config(String toolName, Class<T> type);

    /** Inserts or replaces one tool's settings; {@code updated_at} becomes now. @return the row as stored */
    ToolConfig upsert(String toolName, boolean enabled, JsonNode config, Long refreshIntervalMs, boolean notifications);

    /** Replaces only the config of an existing tool. @throws dev.pipescope.error.NotFoundException for an unknown tool */
    ToolConfig setConfig(String toolName, Object config);

    boolean delete(String toolName);

    /** Forgets cached reads. */
    void invalidate();
}
