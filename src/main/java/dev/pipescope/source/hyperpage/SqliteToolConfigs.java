package dev.pipescope.source.hyperpage;

import dev.pipescope.sqlite.SqliteConnections;

import static dev.pipescope.domain.Arguments.required;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.domain.ToolConfig;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.NotFoundException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** Tool settings in a SQLite file, cached per open database. */
final class SqliteToolConfigs extends CachedToolConfigs {
    private final SqliteConnections db;
    private final Clock clock;

    SqliteToolConfigs(SqliteConnections db, Clock clock, ObjectMapper json) {
        super(json, db.file());
        this.db = db;
        this.clock = clock;
    }

    @Override
    protected Map<String, ToolConfig> load() {
        return db.read("read tool_configs", this::load);
    }

    private Map<String, ToolConfig> load(Handle h) {
        var map = new LinkedHashMap<String, ToolConfig>();
        h.createQuery(HyperpageSql.LIST_TOOL_CONFIGS).map((rs, ctx) -> {
            var name = rs.getString(1);
            var text = rs.getString(3);
            JsonNode config = null;
            if (text != null) {
                try {
                    config = json.readTree(text);
                } catch (JsonProcessingException e) {
                    throw new CorruptDataException("tool_configs row '" + name + "' in " + db.file()
                            + " has a config that is not JSON: " + e.getOriginalMessage(), e);
                }
            }
            return new ToolConfig(name, rs.getInt(2) != 0, config, SqliteHyperpageStore.nullableLong(rs, 4), rs.getInt(5) != 0,
                    SqliteHyperpageStore.millis(rs, 6));
        }).forEach(c -> map.put(c.toolName(), c));
        return java.util.Collections.unmodifiableMap(map);
    }

    @Override
    public ToolConfig upsert(String toolName, boolean enabled, JsonNode config, Long refreshIntervalMs,
                             boolean notifications) {
        requireName(toolName);
        if (refreshIntervalMs != null && refreshIntervalMs <= 0) {
            throw new InvalidArgumentException("refresh interval of tool '" + toolName + "' must be positive, was "
                    + refreshIntervalMs);
        }
        var text = config == null ? null : config.toString();
        return write("save settings of tool '" + toolName + "' in tool_configs", toolName, h ->
                h.createUpdate(HyperpageSql.UPSERT_TOOL_CONFIG).bind("toolName", toolName)
                        .bind("enabled", enabled ? 1 : 0).bind("config", text).bind("refreshInterval", refreshIntervalMs)
                        .bind("notifications", notifications ? 1 : 0).bind("now", clock.millis()).execute());
    }

    @Override
    public ToolConfig setConfig(String toolName, Object config) {
        requireName(toolName);
        String text;
        try {
            text = config == null ? null : json.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new InvalidArgumentException("config of tool '" + toolName + "' cannot be written as JSON: "
                    + e.getOriginalMessage(), e);
        }
        return write("set config of tool '" + toolName + "' in tool_configs", toolName, h -> {
            int changed = h.createUpdate(HyperpageSql.SET_TOOL_CONFIG).bind("toolName", toolName)
                    .bind("config", text).bind("now", clock.millis()).execute();
            if (changed == 0) {
                throw new NotFoundException("no tool '" + toolName + "' in tool_configs of " + db.file());
            }
            return changed;
        });
    }

    private ToolConfig write(String what, String toolName, java.util.function.Function<Handle, Integer> work) {
        try {
            var loaded = db.write(what, h -> {
                work.apply(h);
                return load(h);
            });
            cache.set(loaded);
            return loaded.get(toolName);
        } catch (RuntimeException e) {
            cache.set(null);
            throw e;
        }
    }

    private static void requireName(String toolName) {
        if (toolName == null || toolName.isBlank()) {
            throw new InvalidArgumentException("tool name is blank");
        }
    }

    @Override
    public boolean delete(String toolName) {
        required(toolName, "tool name");
        var loaded = db.write("delete tool '" + toolName + "' from tool_configs", h -> {
            int n = h.createUpdate(HyperpageSql.DELETE_TOOL_CONFIG).bind("toolName", toolName).execute();
            return n == 0 ? null : load(h);
        });
        if (loaded != null) {
            cache.set(loaded);
        }
        return loaded != null;
    }
}
