package dev.pipescope.source.hyperpage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.Connections;
import dev.pipescope.domain.ToolConfig;
import dev.pipescope.error.CorruptDataException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyperpage's PostgreSQL {@code tool_configs}, read as its {@code ToolConfigRepository} does: the rows of owner
 * {@code system}/{@code global} (the only ones it reads or writes), {@code key} the tool's name, and the
 * {@code config} JSON holding {@code enabled} (else false), {@code config}, {@code refreshInterval} (ms) and
 * {@code notifications} (else true).
 */
final class PostgresToolConfigs extends CachedToolConfigs {
    private final Connections db;

    PostgresToolConfigs(Connections db, ObjectMapper json) {
        super(json, db.location());
        this.db = db;
    }

    @Override
    protected Map<String, ToolConfig> load() {
        return db.read("read tool_configs", h -> {
            var map = new LinkedHashMap<String, ToolConfig>();
            h.createQuery(HyperpagePostgresSql.LIST_TOOL_CONFIGS)
                    .map((rs, ctx) -> map(rs.getString(1), rs.getString(2), PostgresJobRows.instant(rs, 3)))
                    .forEach(c -> map.put(c.toolName(), c));
            return Collections.unmodifiableMap(map);
        });
    }

    private ToolConfig map(String name, String text, java.time.Instant updatedAt) {
        JsonNode payload;
        try {
            payload = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CorruptDataException("tool_configs row '" + name + "' in " + db.location()
                    + " has a config that is not JSON: " + e.getOriginalMessage(), e);
        }
        var enabled = payload.path("enabled");
        var notifications = payload.path("notifications");
        var config = payload.get("config");
        var interval = payload.path("refreshInterval");
        Long refreshMs = null;
        if (interval.isNumber()) {
            if (!interval.canConvertToExactIntegral()) {
                throw new CorruptDataException("tool_configs row '" + name + "' in " + db.location()
                        + " has refreshInterval " + interval + ", which is not a whole number of ms");
            }
            refreshMs = interval.longValue();
        }
        return new ToolConfig(name, enabled.isBoolean() && enabled.booleanValue(),
                config == null || config.isNull() ? null : config, refreshMs,
                !notifications.isBoolean() || notifications.booleanValue(), updatedAt);
    }

    @Override
    public ToolConfig upsert(String toolName, boolean enabled, JsonNode config, Long refreshIntervalMs,
                             boolean notifications) {
        throw PostgresHyperpageStore.refused(db, "save settings of tool '" + toolName + "'");
    }

    @Override
    public ToolConfig setConfig(String toolName, Object config) {
        throw PostgresHyperpageStore.refused(db, "set the config of tool '" + toolName + "'");
    }

    @Override
    public boolean delete(String toolName) {
        throw PostgresHyperpageStore.refused(db, "delete tool '" + toolName + "'");
    }
}
