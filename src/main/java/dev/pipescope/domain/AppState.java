package dev.pipescope.domain;

import java.util.Map;
import java.util.Optional;

/** Hyperpage's key/value settings ({@code app_state}); values are text, often JSON. */
public interface AppState {

    Optional<String> get(String key);

    /** Every entry, by key. */
    Map<String, String> all();

    /** Sets a value (null stores SQL NULL); {@code updated_at} becomes now. */
    void put(String key, String value);

    boolean remove(String key);
}
