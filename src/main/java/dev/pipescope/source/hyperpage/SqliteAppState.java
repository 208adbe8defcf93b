package dev.pipescope.source.hyperpage;

import dev.pipescope.sqlite.SqliteConnections;

import static dev.pipescope.domain.Arguments.required;

import dev.pipescope.domain.AppState;
import dev.pipescope.error.InvalidArgumentException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Key/value app state. */
final class SqliteAppState implements AppState {
    private final SqliteConnections db;
    private final Clock clock;

    SqliteAppState(SqliteConnections db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public Optional<String> get(String key) {
        required(key, "app_state key");
        return db.read("read app_state key " + key, h -> h.createQuery(HyperpageSql.GET_STATE).bind("key", key)
                .map((rs, ctx) -> Optional.ofNullable(rs.getString(1))).findOne().flatMap(v -> v));
    }

    @Override
    public Map<String, String> all() {
        return db.read("read app_state", h -> {
            var map = new LinkedHashMap<String, String>();
            h.createQuery(HyperpageSql.ALL_STATE).map((rs, ctx) -> {
                map.put(rs.getString(1), rs.getString(2));
                return rs.getString(1);
            }).list();
            return java.util.Collections.unmodifiableMap(map);
        });
    }

    @Override
    public void put(String key, String value) {
        if (key == null || key.isBlank()) {
            throw new InvalidArgumentException("app_state key is blank");
        }
        db.write("set app_state key " + key, h -> h.createUpdate(HyperpageSql.PUT_STATE).bind("key", key)
                .bind("value", value).bind("now", clock.millis()).execute());
    }

    @Override
    public boolean remove(String key) {
        required(key, "app_state key");
        return db.write("remove app_state key " + key, h ->
                h.createUpdate(HyperpageSql.REMOVE_STATE).bind("key", key).execute() > 0);
    }
}
