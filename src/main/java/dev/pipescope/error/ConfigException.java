package dev.pipescope.error;

/**
 * Pipescope's database configuration is wrong: a config file line or an environment variable that is
 * malformed, unknown, duplicated or out of range. The message names where ({@link #source()}: the file, or
 * {@code environment}) and which key or variable ({@link #key()}); it never holds a password, even when the
 * key is one.
 */
public class ConfigException extends PipescopeException {
    private final String source;
    private final String key;

    /**
     * @param source the config file's path, or {@code "environment"} for an environment variable
     * @param key    the key ({@code database.prod.pool-size}) or variable ({@code PIPESCOPE_DATABASE_PROD_URL})
     */
    public ConfigException(String source, String key, String message) {
        super(message);
        this.source = source;
        this.key = key;
    }

    public ConfigException(String source, String key, String message, Throwable cause) {
        super(message, cause);
        this.source = source;
        this.key = key;
    }

    /** The config file's path, or {@code "environment"}. */
    public String source() {
        return source;
    }

    /** The key or environment variable at fault; empty when the whole source is (an unreadable file). */
    public String key() {
        return key;
    }
}
