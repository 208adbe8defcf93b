package dev.pipescope.cli;

import dev.pipescope.error.NotFoundException;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pipescope install}: the {@code pipescope} command on this user's PATH (see {@link LauncherInstaller}). */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = {"Install the pipescope command: PREFIX/bin/pipescope (a launcher that starts in a fraction of"
                + " a second: class-data archive, C1 only), the jar it runs in PREFIX/share/pipescope, and bash"
                + " completion in PREFIX/share/bash-completion/completions."})
final class InstallCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--prefix", paramLabel = "DIR", description = "where bin/ and share/ go (default: ~/.local)")
    Path prefix;

    @Option(names = "--jar", paramLabel = "PATH", description = "the Pipescope jar (default: this one)")
    Path jar;

    @Option(names = "--java", paramLabel = "PATH", description = "the JVM the command runs on (default: this one)")
    Path java;

    @Override
    public Integer call() {
        Path where = prefix != null ? prefix : Path.of(System.getProperty("user.home"), ".local");
        Path javaPath = java != null ? java : Path.of(System.getProperty("java.home"), "bin", "java");
        var installed = new LauncherInstaller(javaPath, jarPath(), where).install();
        var out = spec.commandLine().getOut();
        out.println("Installed " + installed.launcher() + " (runs " + installed.jar() + ")");
        out.println("Bash completion: " + installed.completion());
        if (installed.classDataArchive().isEmpty()) {
            out.println("note: no class-data archive; the command works but starts more slowly");
        }
        Path bin = installed.launcher().getParent();
        String path = System.getenv().getOrDefault("PATH", "");
        if (Arrays.stream(path.split(File.pathSeparator)).map(Path::of).noneMatch(bin::equals)) {
            out.println(bin + " is not on your PATH; add it, e.g. in ~/.profile: export PATH=\"" + bin + ":$PATH\"");
        }
        out.flush();
        return ExitCodes.OK;
    }

    private Path jarPath() {
        if (jar != null) {
            return jar;
        }
        try {
            var location = Path.of(InstallCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (location.toString().endsWith(".jar")) {
                return location;
            }
        } catch (URISyntaxException | SecurityException e) {
            throw new NotFoundException("cannot tell which jar is running (" + e.getMessage() + "); pass --jar");
        }
        throw new NotFoundException("not running from a jar; pass --jar target/pipescope.jar");
    }
}
