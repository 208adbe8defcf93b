package dev.pipescope.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the installed command's class-data archive current. The JVM skips an archive made by another JDK
 * build or for another jar without a word, and the command then starts several times slower; the command
 * notices ({@link #startIfStale}) and runs this class's {@code main} in the background, which installs
 * again under the same prefix with the JVM at hand ({@link LauncherInstaller#install()}), writing what it
 * did to {@code PREFIX/share/pipescope/refresh.log}.
 */
final class LauncherRefresh {
    static final String LOG = "refresh.log";

    /**
     * How long after one rebuild started the next may: a rebuild that cannot help (the JVM is told
     * {@code -Xshare:off} through JAVA_TOOL_OPTIONS) is not redone on every command.
     */
    static final Duration RETRY_AFTER = Duration.ofMinutes(10);

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private LauncherRefresh() {}

    /**
     * When the launcher named an archive ({@value LauncherInstaller#ARCHIVE_PROPERTY}) that this JVM is not
     * using, because it is stale or gone, starts a rebuild in the background and returns at once; prints
     * nothing unless the rebuild cannot be started. Started by anything but the launcher, does nothing.
     */
    static void startIfStale() {
        String named = System.getProperty(LauncherInstaller.ARCHIVE_PROPERTY);
        if (named == null || (Files.isRegularFile(Path.of(named)) && usingArchive())) {
            return;
        }
        Path home = Path.of(named).toAbsolutePath().getParent();
        Path log = home.resolve(LOG);
        if (!Files.isWritable(home)) {
            return; // installed by someone else (a system-wide prefix): only they can rebuild it
        }
        try {
            if (Files.exists(log)
                    && Files.getLastModifiedTime(log).toInstant().isAfter(Instant.now().minus(RETRY_AFTER))) {
                return;
            }
            var command = new ArrayList<String>();
            if (Files.isExecutable(SETSID)) {
                command.add(SETSID.toString()); // its own session: a Ctrl-C of the command does not end it
            }
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", home.resolve("pipescope.jar").toString(), LauncherRefresh.class.getName(),
                    home.getParent().getParent().toString()));
            new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            System.err.println("pipescope: the class-data archive " + named + " is stale and could not be rebuilt ("
                    + e.getMessage() + "); run pipescope install again");
        }
    }

    /** Whether this JVM maps a class-data archive (it says so in {@code java.vm.info}, as {@code java -version} does). */
    static boolean usingArchive() {
        return System.getProperty("java.vm.info", "").contains("sharing");
    }

    /**
     * The background rebuild: {@code LauncherRefresh PREFIX}. One at a time (a lock on the log); a second
     * one started meanwhile leaves at once.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: LauncherRefresh PREFIX (where pipescope install put bin/ and share/)");
            System.exit(ExitCodes.USAGE);
        }
        Path prefix = Path.of(args[0]);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        var installer = new LauncherInstaller(java, prefix.resolve("share/pipescope/pipescope.jar"), prefix);
        try (var channel = FileChannel.open(installer.home().resolve(LOG), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             var lock = channel.tryLock()) {
            if (lock == null) {
                return;
            }
            channel.truncate(0);
            var log = new PrintStream(Channels.newOutputStream(channel), true, StandardCharsets.UTF_8);
            System.setOut(log);
            System.setErr(log);
            log.println(Instant.now() + ": the class-data archive was stale or missing; installing again with " + java
                    + " (" + System.getProperty("java.vm.version") + ")");
            var installed = installer.install();
            log.println(Instant.now() + ": " + installed.classDataArchive().map(a -> "made " + a)
                    .orElse("no archive could be made; the command starts without one"));
        }
    }
}
