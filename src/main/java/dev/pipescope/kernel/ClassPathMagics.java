package dev.pipescope.kernel;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** {@code %jars} / {@code %classpath}: put jars and class directories on the session's class path. */
final class ClassPathMagics {

    private final ShellSession session;
    private final Consumer<ClassLoader> jarsAdded;

    /** @param jarsAdded told about the snippet class loader after jars were added, to install their integrations */
    ClassPathMagics(ShellSession session, Consumer<ClassLoader> jarsAdded) {
        this.session = session;
        this.jarsAdded = jarsAdded;
    }

    /**
     * {@code %jars lib/*.jar "my libs/other.jar"}: adds every match of every word (quoted or escaped
     * for spaces, see {@link MagicArgs}) and prints what was added. When a word matches nothing, nothing
     * is added.
     */
    void addJars(String magic, String args) {
        List<String> globs = MagicArgs.words(args);
        if (globs.isEmpty()) {
            throw new MagicError("%" + magic + " needs one or more paths or globs, e.g. %" + magic + " lib/*.jar"
                    + " (quote or escape spaces: \"my libs/*.jar\" or my\\ libs/*.jar)");
        }
        List<Path> added = new ArrayList<>();
        for (String glob : globs) {
            List<Path> matches;
            try {
                matches = PathGlob.expand(glob);
            } catch (UncheckedIOException e) {
                throw new MagicError("%" + magic + " could not read " + glob + ": " + e.getMessage());
            }
            if (matches.isEmpty()) {
                throw new MagicError("%" + magic + ": nothing matches " + glob
                        + " (relative paths start at " + Path.of("").toAbsolutePath() + "); nothing was added");
            }
            added.addAll(matches);
        }
        for (Path path : added) {
            session.addToClasspath(path.toAbsolutePath().toString());
        }
        System.out.println("Added to the class path: " + added.stream().map(Path::toString).sorted().toList());
        jarsAdded.accept(session.snippetLoader());
    }
}
