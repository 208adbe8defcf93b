package dev.pipescope.error;

/**
 * A config file Pipescope was told to read (by {@code PIPESCOPE_CONFIG}), or found at its default place, cannot
 * be read: missing when named explicitly, a directory, no permission, not UTF-8. The message names the file.
 */
public class UnreadableConfigException extends ConfigException {
    public UnreadableConfigException(String file, String message, Throwable cause) {
        super(file, "", message, cause);
    }
}
