package dev.pipescope.ops;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** The temporary files backup and restore write, named so that a later run can tell whose they are. */
final class Leftovers {
    /** {@code .<final name>.p<pid>.partial}: the process id tells a live writer's file from a killed one's. */
    private static final Pattern PARTIAL = Pattern.compile("\\.(.+?)(?:\\.p(\\d+))?\\.partial(-journal)?");

    private Leftovers() {}

    /** The hidden file a backup (or its metadata) is written to before it is renamed to {@code finalFile}. */
    static Path partialOf(Path finalFile) {
        return finalFile.resolveSibling("." + finalFile.getFileName() + ".p" + ProcessHandle.current().pid() + ".partial");
    }

    static Pattern partialNames() {
        return PARTIAL;
    }
}
