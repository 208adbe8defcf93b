package dev.pipescope.kernel;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** {@code %jars} / {@code %classpath} and {@code %maven}: put jars and class directories on the session's class path. */
final class ClassPathMagics {

    private final ShellSession session;
    private final Consumer<ClassLoader> jarsAdded;
    private final MavenResolver maven;
    /** Built at the first %maven, then kept up to date by both magics. */
    private ClassPathIndex index;

    /**
     * @param jarsAdded told about the snippet class loader after jars were added, to install their integrations
     * @param maven     where {@code %maven} resolves coordinates
     */
    ClassPathMagics(ShellSession session, Consumer<ClassLoader> jarsAdded, MavenResolver maven) {
        this.session = session;
        this.jarsAdded = jarsAdded;
        this.maven = maven;
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
            if (index != null && Files.isRegularFile(path)) {
                index.addJar(path);
            }
        }
        System.out.println("Added to the class path: " + added.stream().map(Path::toString).sorted().toList());
        jarsAdded.accept(session.snippetLoader());
    }

    /**
     * {@code %maven group:artifact:version...}: resolves the coordinates with their runtime dependencies
     * (see {@link MavenResolver}) and adds the jars to the class path, printing what was added. A jar
     * whose library or classes the class path already has is not added but reported, with the version
     * that stays in use: its classes would only be shadowed by those loaded first.
     */
    void addMaven(String args) {
        List<String> coordinates = MagicArgs.words(args);
        if (coordinates.isEmpty()) {
            throw new MagicError("%maven needs Maven coordinates, e.g. %maven org.apache.commons:commons-csv:1.12.0");
        }
        List<MavenResolver.ResolvedJar> jars = maven.resolve(coordinates);
        ClassLoader loader = session.snippetLoader();
        if (index == null) {
            index = ClassPathIndex.of(loader);
        }
        List<MavenResolver.ResolvedJar> added = new ArrayList<>();
        List<String> present = new ArrayList<>();
        List<String> clashes = new ArrayList<>();
        for (MavenResolver.ResolvedJar jar : jars) {
            String via = jar.requestedBy().equals(jar.coordinates()) ? "" : " (needed by " + jar.requestedBy() + ")";
            Optional<String> version = index.versionOf(jar.groupId(), jar.artifactId());
            if (version.isPresent() && version.get().equals(jar.version())) {
                present.add(jar.coordinates());
            } else if (version.isPresent()) {
                clashes.add(jar.coordinates() + via + ": the class path has " + jar.groupId() + ":" + jar.artifactId()
                        + ":" + version.get() + ", which stays in use");
            } else {
                Optional<ClassPathIndex.ShadowedClass> shadowed = ClassPathIndex.shadowedClass(jar.file(), loader);
                if (shadowed.isPresent()) {
                    clashes.add(jar.coordinates() + via + ": its class " + shadowed.get().className()
                            + " is on the class path already (in " + shadowed.get().alreadyIn() + "), and that copy stays in use");
                } else {
                    added.add(jar);
                }
            }
        }
        for (MavenResolver.ResolvedJar jar : added) {
            session.addToClasspath(jar.file().toAbsolutePath().toString());
            index.add(jar.groupId(), jar.artifactId(), jar.version());
        }
        System.out.println(added.isEmpty() ? "Nothing added to the class path"
                : "Added to the class path: " + String.join(", ", added.stream()
                        .map(jar -> jar.coordinates() + " (" + jar.file() + ")").toList()));
        if (!present.isEmpty()) {
            System.out.println("Already on the class path: " + String.join(", ", present));
        }
        System.out.flush();
        if (!clashes.isEmpty()) {
            System.err.println("Not added, because they clash with what the class path already has:\n  " + String.join("\n  ", clashes));
        }
        if (!added.isEmpty()) {
            jarsAdded.accept(session.snippetLoader());
        }
    }
}
