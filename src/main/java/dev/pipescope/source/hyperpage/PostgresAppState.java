package dev.pipescope.source.hyperpage;

import static dev.pipescope.domain.Arguments.required;

import dev.pipescope.Connections;
import dev.pipescope.domain.AppState;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Hyperpage's PostgreSQL {@code app_state}, read: each value is JSON ({@code jsonb}), given as its text. */
final class PostgresAppState implements AppState {
    private final Connections db;

    PostgresAppState(Connections db) {
        this.db = db;
    }

    @Override
    public Optional<String> get(String key) {
        required(key, "app_state key");
        return db.read("read app_state key " + key, h -> h.createQuery(HyperpagePostgresSql.GET_STATE).bind("key", key)
                .mapTo(String.class).findOne());
    }

    @Override
    public Map<String, String> all() {
        return db.read("read app_state", h -> {
            var map = new LinkedHashMap<String, String>();
            h.createQuery(HyperpagePostgresSql.ALL_STATE).map((rs, ctx) -> {
                map.put(rs.getString(1), rs.getString(2));
                return rs.getString(1);
            }).list();
            return Collections.unmodifiableMap(map);
        });
    }

    @Override
    public void put(String key, String value) {
        throw PostgresHyperpageStore.refused(db, "set app_state key " + key);
    }

    @Override
    public boolean remove(String key) {
        throw PostgresHyperpageStore.refused(db, "remove app_state key " + key);
    }
}
