package dev.pipescope.error;

/**
 * A config file holds a password and other users may read it (group or world read permission). Pipescope
 * refuses to use it, as {@code ssh} refuses such a key file, until it is {@code chmod 600}. The message names
 * the file and the key that holds a password, never the password.
 */
public class InsecureConfigException extends ConfigException {
    public InsecureConfigException(String file, String key, String message) {
        super(file, key, message);
    }
}
