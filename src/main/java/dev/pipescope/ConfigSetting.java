package dev.pipescope;

import java.util.Locale;

/**
 * The settings of a database alias: {@code database.<alias>.<key>} in the config file,
 * {@code PIPESCOPE_DATABASE_<ALIAS>_<SUFFIX>} in the environment.
 */
enum ConfigSetting {
    URL, PATH, USER, PASSWORD, POOL_SIZE, CONNECT_TIMEOUT_MS, STATEMENT_TIMEOUT_MS;

    /** The file's spelling: {@code pool-size}. */
    String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The environment variable's suffix: {@code POOL_SIZE}. */
    String suffix() {
        return name();
    }

    /** The setting whose file key is {@code key}, if any. */
    static java.util.Optional<ConfigSetting> ofKey(String key) {
        for (var setting : values()) {
            if (setting.key().equals(key)) {
                return java.util.Optional.of(setting);
            }
        }
        return java.util.Optional.empty();
    }

    /** Every file key, for messages: {@code url, path, user, ...}. */
    static String keys() {
        return String.join(", ", java.util.Arrays.stream(values()).map(ConfigSetting::key).toList());
    }
}
