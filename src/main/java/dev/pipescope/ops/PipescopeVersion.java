package dev.pipescope.ops;

import dev.pipescope.error.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this Pipescope build, as Maven wrote it into {@code dev/pipescope/version.properties}. */
public final class PipescopeVersion {
    private PipescopeVersion() {}

    /** e.g. {@code 0.1.0}; {@code unknown} when run from classes that were not built by Maven. */
    public static String current() {
        try (InputStream in = PipescopeVersion.class.getResourceAsStream("/dev/pipescope/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            var properties = new Properties();
            properties.load(in);
            var version = properties.getProperty("version", "unknown");
            // an unfiltered copy (IDE build) still holds the placeholder
            return version.startsWith("${") ? "unknown" : version;
        } catch (IOException e) {
            throw new StorageException("cannot read the Pipescope version resource: " + e.getMessage(), e);
        }
    }
}
