package dev.pipescope.cli;

import dev.pipescope.error.NotFoundException;
import dev.pipescope.error.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * Installs the {@code pipescope} command under a prefix, the way pip lays out {@code --user} installs:
 * <pre>
 *   PREFIX/bin/pipescope                                   the launcher (a shell script)
 *   PREFIX/share/pipescope/pipescope.jar                   a copy of the jar (mvn clean cannot break the command)
 *   PREFIX/share/pipescope/pipescope-cli.jsa               the class-data archive: the JDK's and the command's classes
 *   PREFIX/share/pipescope/native/libsqlitejdbc.so         SQLite's JNI library, extracted once, not per run
 *   PREFIX/share/pipescope/refresh.log                     what the last rebuild of a stale archive printed
 *   PREFIX/share/bash-completion/completions/pipescope     bash completion (bash-completion loads it from there)
 * </pre>
 * The launcher runs {@code java} with flags for a short run ({@link #JVM_FLAGS}: the JIT stops at C1, no
 * perf-data file) and the archive ({@link #ARCHIVE_FLAGS}). The archive is a static
 * one ({@code -Xshare:dump} over the classes a training run of the quick commands loaded): unlike JDK 17's
 * dynamic archive it holds picocli's classes, which are compiled for Java 5. The JVM ignores a stale
 * archive (another JDK build, the jar replaced) without a word, and then starts without any; the command
 * notices and rebuilds it in the background ({@link LauncherRefresh}).
 * Example: {@code new LauncherInstaller(java, jar, Path.of(System.getProperty("user.home"), ".local")).install()}.
 *
 * @param java the JVM the launcher runs
 * @param jar the shaded Pipescope jar to copy
 * @param prefix where {@code bin/} and {@code share/} go, e.g. {@code ~/.local}
 */
public record LauncherInstaller(Path java, Path jar, Path prefix) {
    /**
     * JVM flags of every run of the command and of the training run (the two must agree): the JIT stops at
     * C1, no perf-data file, and G1 (not the serial collector, usually quicker to start) because JDK 17
     * maps the archive's heap objects, among them the module graph, only with G1; without them the module
     * system is set up anew, ~25 ms. A JVM that does not know a flag (the launcher falls back to the
     * {@code java} on PATH when the JDK it was installed with is gone) ignores it instead of refusing to start.
     */
    static final List<String> JVM_FLAGS = List.of("-XX:+IgnoreUnrecognizedVMOptions", "-XX:TieredStopAtLevel=1",
            "-XX:+UseG1GC", "-XX:-UsePerfData", "-Xshare:auto", "-Djava.awt.headless=true");

    /**
     * With the archive: map it at the address it was made for (JDK 17u relocates every pointer of it on
     * every start otherwise, 10-25 ms here), and print nothing about it, stale or not.
     */
    static final List<String> ARCHIVE_FLAGS = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0",
            "-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    /** The system property by which the launcher tells the command where its archive belongs. */
    static final String ARCHIVE_PROPERTY = "pipescope.archive";

    static final String ARCHIVE_NAME = "pipescope-cli.jsa";

    /**
     * What a killed install leaves, named with its process id: {@code pipescope.jar.tmp<pid>} (and the same of
     * the launcher, the completion and the native library), {@code pipescope-cli.jsa.<pid>} and
     * {@code pipescope-cli.classlist.<pid>}, {@code training.<pid>}.
     */
    private static final Pattern LEFTOVER = Pattern.compile(
            "(?:(?:pipescope|pipescope\\.jar|libsqlitejdbc\\.so)\\.tmp|pipescope-cli\\.(?:jsa|classlist)\\.|training\\.)(\\d+)");

    public LauncherInstaller {
        if (!Files.isRegularFile(jar)) {
            throw new NotFoundException("no Pipescope jar at " + jar + " (build it with mvn -DskipTests package)");
        }
        if (!Files.isExecutable(java)) {
            throw new NotFoundException("no java executable at " + java);
        }
        java = java.toAbsolutePath();
        jar = jar.toAbsolutePath();
        prefix = prefix.toAbsolutePath();
    }

    /** What an install wrote. */
    public record Installed(Path launcher, Path jar, Optional<Path> classDataArchive, Path completion) {
    }

    public Path home() {
        return prefix.resolve("share/pipescope");
    }

    public Path launcher() {
        return prefix.resolve("bin/pipescope");
    }

    public Path completion() {
        return prefix.resolve("share/bash-completion/completions/pipescope");
    }

    /** Where the archive goes; an install that cannot make one removes the old one. */
    public Path archive() {
        return home().resolve(ARCHIVE_NAME);
    }

    /**
     * Copies the jar, extracts SQLite's native library, makes the class-data archive, writes the
     * launcher and the bash completion. Running it again replaces all of them.
     *
     * @return the files written; no archive when making it failed (the command then starts without it)
     * @throws StorageException when a file cannot be written
     */
    public Installed install() {
        try {
            Files.createDirectories(home());
            Files.createDirectories(launcher().getParent());
            Files.createDirectories(completion().getParent());
            removeLeftovers();
            Path installedJar = home().resolve("pipescope.jar");
            if (!sameFile(jar, installedJar)) {
                replace(installedJar, out -> Files.copy(jar, out, StandardCopyOption.REPLACE_EXISTING));
            }
            Optional<Path> nativeLibrary = extractSqliteLibrary(installedJar);
            Optional<Path> archive = makeArchive(installedJar, nativeLibrary);
            replace(launcher(), out -> Files.writeString(out, launcherScript(installedJar, archive, nativeLibrary)));
            Files.setPosixFilePermissions(launcher(), PosixFilePermissions.fromString("rwxr-xr-x"));
            replace(completion(), out -> Files.writeString(out, Main.bashCompletion()));
            return new Installed(launcher(), installedJar, archive, completion());
        } catch (IOException e) {
            throw new StorageException("cannot install the pipescope command under " + prefix + ": " + e.getMessage(), e);
        }
    }

    /**
     * The launcher: one exec, so signals and the exit code are the JVM's. Its tests are shell built-ins (no
     * process is started before the JVM): the archive and the native library are used when present.
     */
    String launcherScript(Path installedJar, Optional<Path> archive, Optional<Path> nativeLibrary) {
        var script = new StringBuilder("#!/bin/sh\n")
                .append("# The pipescope command, written by `pipescope install`. A stale class-data archive (the JDK\n")
                .append("# or the jar changed) is ignored by the JVM and rebuilt in the background by the command.\n")
                .append("java=").append(shellQuote(java.toString())).append('\n')
                .append("# the JDK it was installed with is gone: the java on PATH (the archive is then remade for it)\n")
                .append("[ -x \"$java\" ] || java=java\n")
                .append("set --").append(words(List.of("-cp", installedJar.toString(), Main.class.getName())))
                .append(" \"$@\"\n");
        nativeLibrary.ifPresent(lib -> script
                .append("if [ -f ").append(shellQuote(lib.toString())).append(" ]; then\n")
                .append("  set --").append(words(sqliteLibraryProperties(lib))).append(" \"$@\"\n")
                .append("fi\n"));
        archive.ifPresent(a -> {
            var flags = new ArrayList<>(ARCHIVE_FLAGS);
            flags.add("-XX:SharedArchiveFile=" + a);
            script.append("if [ -f ").append(shellQuote(a.toString())).append(" ]; then\n")
                    .append("  set --").append(words(flags)).append(" \"$@\"\n")
                    .append("fi\n");
        });
        var flags = new ArrayList<>(JVM_FLAGS);
        archive.ifPresent(a -> flags.add("-D" + ARCHIVE_PROPERTY + "=" + a));
        return script.append("exec \"$java\"").append(words(flags)).append(" \"$@\"\n").toString();
    }

    private static String words(List<String> words) {
        var line = new StringBuilder();
        words.forEach(word -> line.append(' ').append(shellQuote(word)));
        return line.toString();
    }

    /**
     * sqlite-jdbc's properties for a library extracted here: load it from there, and look for stale copies
     * of earlier extractions there too, instead of listing the whole temporary directory on every start.
     */
    private static List<String> sqliteLibraryProperties(Path library) {
        return List.of("-Dorg.sqlite.lib.path=" + library.getParent(), "-Dorg.sqlite.lib.name=" + library.getFileName(),
                "-Dorg.sqlite.tmpdir=" + library.getParent());
    }

    /**
     * sqlite-jdbc copies its JNI library out of the jar into the temp directory on every start; the
     * launcher points it at a copy made here instead. @return empty when the jar has none for this platform
     */
    private Optional<Path> extractSqliteLibrary(Path installedJar) throws IOException {
        String folder = org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS();
        String name = System.mapLibraryName("sqlitejdbc");
        try (var zip = new ZipFile(installedJar.toFile())) {
            var entry = zip.getEntry("org/sqlite/native/" + folder + "/" + name);
            if (entry == null) {
                return Optional.empty();
            }
            Path target = home().resolve("native").resolve(name);
            Files.createDirectories(target.getParent());
            try (InputStream in = zip.getInputStream(entry)) {
                replace(target, out -> Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING));
            }
            return Optional.of(target);
        }
    }

    /**
     * Records the classes {@link LauncherTraining} loads with the launcher's flags, dumps them with the
     * JDK's own into a static archive, and checks that the launcher's flags map it ({@code -Xshare:on}
     * fails when they cannot). Each step's output is shown when it fails; the command then starts without.
     */
    private Optional<Path> makeArchive(Path installedJar, Optional<Path> nativeLibrary) throws IOException {
        long pid = ProcessHandle.current().pid();
        Path classList = home().resolve("pipescope-cli.classlist." + pid);
        Path fresh = home().resolve(ARCHIVE_NAME + "." + pid);
        Path training = home().resolve("training." + pid);
        var output = new StringBuilder();
        try {
            Files.createDirectories(training);
            var train = new ArrayList<String>();
            train.add(java.toString());
            train.addAll(JVM_FLAGS);
            train.add("-XX:DumpLoadedClassList=" + classList);
            nativeLibrary.ifPresent(lib -> train.addAll(sqliteLibraryProperties(lib)));
            train.addAll(List.of("-cp", installedJar.toString(), LauncherTraining.class.getName(), training.toString()));
            // with G1 (as the command runs) the dump also stores the JDK's heap objects
            var dump = List.of(java.toString(), "-XX:+UseG1GC", "-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                    "-XX:SharedArchiveFile=" + fresh, "-cp", installedJar.toString());
            var check = new ArrayList<String>();
            check.add(java.toString());
            JVM_FLAGS.stream().map(flag -> flag.equals("-Xshare:auto") ? "-Xshare:on" : flag).forEach(check::add);
            check.addAll(ARCHIVE_FLAGS.stream().filter(flag -> !flag.startsWith("-Xlog")).toList());
            check.add("-XX:SharedArchiveFile=" + fresh);
            check.addAll(List.of("-cp", installedJar.toString(), Main.class.getName(), "--version"));
            var steps = List.of(new Step("training", train, classList), new Step("dump", dump, fresh),
                    new Step("check", check, fresh));
            for (var step : steps) {
                output.setLength(0);
                int code = ChildProcess.run(step.command(), 300, output);
                if (code != 0 || !Files.isRegularFile(step.makes())) {
                    Files.deleteIfExists(archive());
                    System.err.println("note: the class-data archive could not be made (" + step.name() + " exited " + code
                            + "); pipescope will start more slowly:\n" + String.join(" ", step.command()) + "\n"
                            + output.toString().strip());
                    return Optional.empty();
                }
            }
            Files.move(fresh, archive(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Optional.of(archive());
        } finally {
            Files.deleteIfExists(classList);
            Files.deleteIfExists(fresh);
            deleteTree(training);
        }
    }

    private record Step(String name, List<String> command, Path makes) {
    }

    /** Removes what an install killed mid-way left; those of an install still running stay. */
    private void removeLeftovers() throws IOException {
        for (Path dir : List.of(home(), home().resolve("native"), launcher().getParent(), completion().getParent())) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    var m = LEFTOVER.matcher(file.getFileName().toString());
                    if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                        deleteTree(file);
                    }
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private interface Writer {
        void write(Path out) throws IOException;
    }

    /** Writes beside the target, then renames: a running launcher or JVM keeps the old file intact. */
    private static void replace(Path target, Writer writer) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp" + ProcessHandle.current().pid());
        try {
            writer.write(temp);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static boolean sameFile(Path a, Path b) throws IOException {
        return Files.exists(b) && Files.isSameFile(a, b);
    }

    static String shellQuote(String word) {
        if (word.matches("[A-Za-z0-9_./:=+,@%-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
