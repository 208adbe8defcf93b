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

    /** {@code %jars lib/*.jar other.jar}: adds every match, prints what was added. */
    void addJars(String magic, String args) {
        if (args.isEmpty()) {
            throw new MagicError("%" + magic + " needs one or more paths or globs, e.g. %" + magic + " lib/*.jar");
        }
        List<Path> added = new ArrayList<>();
        for (String glob : args.split("\\s+")) {
            List<Path> matches;
            try {
                matches = PathGlob.expand(glob);
            } catch (UncheckedIOException e) {
                throw new MagicError("%" + magic + " could not read " + glob + ": " + e.getMessage());
            }
            if (matches == null || matches.isEmpty()) {
                throw new MagicError("%" + magic + ": nothing matches " + glob
                        + " (relative paths start at " + Path.of("").toAbsolutePath() + ")");
            }
            for (Path path : matches) {
                session.addToClasspath(path.toAbsolutePath().toString());
                added.add(path);
            }
        }
        System.out.println("Added to the class path: " + added.stream().map(Path::toString).sorted().toList());
        jarsAdded.accept(session.snippetLoader());
    }
}
