package dev.pipescope.source.hyperpage;

import static dev.pipescope.domain.Arguments.required;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.domain.ToolConfig;
import dev.pipescope.domain.ToolConfigs;
import dev.pipescope.error.CorruptDataException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The reading side of {@link ToolConfigs} on either engine: every tool's settings loaded once per open database and
 * kept until a write through it or {@link #invalidate()}; a config bound to a type through Jackson.
 */
abstract class CachedToolConfigs implements ToolConfigs {
    /** Null when not loaded; replaced whole, never mutated, so readers need no lock. */
    protected final AtomicReference<Map<String, ToolConfig>> cache = new AtomicReference<>();
    protected final ObjectMapper json;
    private final String location;

    CachedToolConfigs(ObjectMapper json, String location) {
        this.json = json;
        this.location = location;
    }

    /** Every tool's settings, by tool name, read from the database. */
    protected abstract Map<String, ToolConfig> load();

    private Map<String, ToolConfig> all() {
        var cached = cache.get();
        if (cached != null) {
            return cached;
        }
        var loaded = load();
        cache.compareAndSet(null, loaded);
        return loaded;
    }

    @Override
    public Optional<ToolConfig> find(String toolName) {
        required(toolName, "tool name");
        return Optional.ofNullable(all().get(toolName));
    }

    @Override
    public List<ToolConfig> list() {
        return List.copyOf(all().values());
    }

    @Override
    public <T> Optional<T> config(String toolName, Class<T> type) {
        required(type, "config type");
        return find(toolName).map(ToolConfig::config).map(node -> {
            try {
                return json.treeToValue(node, type);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new CorruptDataException("config of tool '" + toolName + "' in tool_configs of " + location
                        + " does not fit " + type.getSimpleName() + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void invalidate() {
        cache.set(null);
    }
}
