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
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipFile;

/**
 * Installs the {@code pipescope} command under a prefix, the way pip lays out {@code --user} installs:
 * <pre>
 *   PREFIX/bin/pipescope                                   the launcher (a shell script)
 *   PREFIX/share/pipescope/pipescope.jar                   a copy of the jar (mvn clean cannot break the command)
 *   PREFIX/share/pipescope/pipescope-cli.jsa               the class-data archive of the command's classes
 *   PREFIX/share/pipescope/native/libsqlitejdbc.so         SQLite's JNI library, extracted once, not per run
 *   PREFIX/share/bash-completion/completions/pipescope     bash completion (bash-completion loads it from there)
 * </pre>
 * The launcher runs {@code java} with flags for a short run: the JIT stops at C1
 * ({@code -XX:TieredStopAtLevel=1}), the serial collector, no perf-data file, and the class-data archive
 * ({@code -Xshare:auto}: a stale archive, e.g. after a JDK update, is skipped and the command starts more slowly).
 * Example: {@code new LauncherInstaller(java, jar, Path.of(System.getProperty("user.home"), ".local")).install()}.
 *
 * @param java the JVM the launcher runs
 * @param jar the shaded Pipescope jar to copy
 * @param prefix where {@code bin/} and {@code share/} go, e.g. {@code ~/.local}
 */
public record LauncherInstaller(Path java, Path jar, Path prefix) {
    /** JVM flags of the launcher, also used to train its archive (the two must agree). */
    static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData",
            "-Xshare:auto", "-Djava.awt.headless=true");

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

    /**
     * Copies the jar, extracts SQLite's native library, trains the class-data archive, writes the
     * launcher and the bash completion. Running it again replaces all of them.
     *
     * @return the files written; no archive when training failed (the command then starts without it)
     * @throws StorageException when a file cannot be written
     */
    public Installed install() {
        try {
            Files.createDirectories(home());
            Files.createDirectories(launcher().getParent());
            Files.createDirectories(completion().getParent());
            Path installedJar = home().resolve("pipescope.jar");
            if (!sameFile(jar, installedJar)) {
                replace(installedJar, out -> Files.copy(jar, out, StandardCopyOption.REPLACE_EXISTING));
            }
            Optional<Path> nativeLibrary = extractSqliteLibrary(installedJar);
            Optional<Path> archive = trainArchive(installedJar, nativeLibrary);
            replace(launcher(), out -> Files.writeString(out, launcherScript(installedJar, archive, nativeLibrary)));
            Files.setPosixFilePermissions(launcher(), PosixFilePermissions.fromString("rwxr-xr-x"));
            replace(completion(), out -> Files.writeString(out, Main.bashCompletion()));
            return new Installed(launcher(), installedJar, archive, completion());
        } catch (IOException e) {
            throw new StorageException("cannot install the pipescope command under " + prefix + ": " + e.getMessage(), e);
        }
    }

    /** The launcher: one exec, so signals and the exit code are the JVM's. */
    String launcherScript(Path installedJar, Optional<Path> archive, Optional<Path> nativeLibrary) {
        var command = new ArrayList<String>();
        command.add(java.toString());
        command.addAll(JVM_FLAGS);
        archive.ifPresent(a -> {
            command.add("-XX:SharedArchiveFile=" + a);
            // a stale archive is skipped; say nothing about it on every run
            command.add("-Xlog:cds=off");
            command.add("-Xlog:cds+dynamic=off");
        });
        nativeLibrary.ifPresent(lib -> command.addAll(sqliteLibraryProperties(lib)));
        command.addAll(List.of("-cp", installedJar.toString(), Main.class.getName()));
        var line = new StringBuilder("exec");
        command.forEach(word -> line.append(' ').append(shellQuote(word)));
        return "#!/bin/sh\n"
                + "# The pipescope command, written by `pipescope install` (run it again after a JDK or Pipescope update).\n"
                + line + " \"$@\"\n";
    }

    private static List<String> sqliteLibraryProperties(Path library) {
        return List.of("-Dorg.sqlite.lib.path=" + library.getParent(), "-Dorg.sqlite.lib.name=" + library.getFileName());
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

    /** Runs {@link LauncherTraining} once with the launcher's flags, recording the classes it loads. */
    private Optional<Path> trainArchive(Path installedJar, Optional<Path> nativeLibrary) throws IOException {
        Path archive = home().resolve("pipescope-cli.jsa");
        Path fresh = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid());
        var command = new ArrayList<String>();
        command.add(java.toString());
        command.addAll(JVM_FLAGS);
        command.add("-XX:ArchiveClassesAtExit=" + fresh);
        nativeLibrary.ifPresent(lib -> command.addAll(sqliteLibraryProperties(lib)));
        command.addAll(List.of("-cp", installedJar.toString(), LauncherTraining.class.getName()));
        var output = new StringBuilder();
        int code = run(command, 300, output);
        if (code == 0 && Files.isRegularFile(fresh) && Files.size(fresh) > 0) {
            Files.move(fresh, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Optional.of(archive);
        }
        Files.deleteIfExists(fresh);
        System.err.println("note: the class-data archive could not be made (exit " + code + "); pipescope will start"
                + " more slowly:\n" + output.toString().strip());
        return Optional.empty();
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

    private static int run(List<String> command, int seconds, StringBuilder output) {
        return ChildProcess.run(command, seconds, output);
    }
}
