package dev.pipescope.cli;

import dev.pipescope.error.NotFoundException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pipescope kernel install}: the Jupyter kernelspec of this jar. */
@Command(name = "kernel", mixinStandardHelpOptions = true, description = "The Pipescope Jupyter kernel.",
        subcommands = KernelCommand.Install.class)
final class KernelCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a command: install");
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Install the \"Pipescope (Java)\" kernelspec (jupyter kernelspec install), with a "
                    + "class-data archive beside the jar so the kernel starts fast.")
    static final class Install implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        /** Where the kernelspec goes: exactly one of these, --user when none. */
        static final class Scope {
            @Option(names = "--user", description = "for this user (default)")
            boolean user;

            @Option(names = "--sys-prefix", description = "into the Python environment's prefix")
            boolean sysPrefix;

            @Option(names = "--prefix", paramLabel = "DIR", description = "under DIR (share/jupyter/kernels)")
            Path prefix;
        }

        @ArgGroup(exclusive = true)
        Scope scope;

        @Option(names = "--jar", paramLabel = "PATH", description = "the Pipescope jar (default: this one)")
        Path jar;

        @Option(names = "--java", paramLabel = "PATH", description = "the JVM to run the kernel (default: this one)")
        Path java;

        @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "1g", description = "the kernel's -Xmx (default: ${DEFAULT-VALUE})")
        String heap;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "0",
                description = "per-cell evaluation timeout, 0 for none (default: ${DEFAULT-VALUE})")
        int timeout;

        @Option(names = "--name", defaultValue = "pipescope", description = "kernelspec name (default: ${DEFAULT-VALUE})")
        String name;

        @Option(names = "--display-name", defaultValue = "Pipescope (Java)", description = "shown by Jupyter (default: ${DEFAULT-VALUE})")
        String displayName;

        @Option(names = "--execution", defaultValue = "local", paramLabel = "local|remote",
                description = "local (default): snippets run in the kernel's JVM; remote: JShell's agent, for benchmarks only")
        String execution;

        @Option(names = "--jit", defaultValue = "fast-start", paramLabel = "fast-start|full",
                description = "fast-start (default): the JIT stops at C1, for the quickest first result and round trips;"
                        + " full: C2 as well, for heavy cells (a million runs loads ~1.4x faster, the first result ~1 s later)")
        String jit;

        @Option(names = "--jupyter", paramLabel = "PATH", defaultValue = "/usr/bin/jupyter",
                description = "the jupyter command (default: ${DEFAULT-VALUE})")
        Path jupyter;

        @Override
        public Integer call() {
            if (!execution.equals("local") && !execution.equals("remote")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--execution is local or remote, not '" + execution + "'");
            }
            if (!jit.equals("fast-start") && !jit.equals("full")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--jit is fast-start or full, not '" + jit + "'");
            }
            var installer = new KernelSpecInstaller(javaPath(), jarPath(), heap, timeout, name, displayName,
                    execution.equals("remote"), jit.equals("full"));
            var out = spec.commandLine().getOut();
            installer.ensureClassDataArchive().ifPresent(why -> spec.commandLine().getErr().println(
                    "note: could not write the class-data archive " + installer.classDataArchive()
                            + "; the kernel will start without it, more slowly (" + why + ")"));
            List<String> where = scope == null || scope.user ? List.of("--user")
                    : scope.sysPrefix ? List.of("--sys-prefix") : List.of("--prefix", scope.prefix.toString());
            var report = installer.install(jupyter, where);
            out.println(report.isEmpty() ? "installed kernel '" + name + "'" : report);
            out.println("Installed kernel '" + name + "' (" + displayName + ") using " + installer.jar());
            out.flush();
            return ExitCodes.OK;
        }

        private Path javaPath() {
            return (java != null ? java : Path.of(System.getProperty("java.home"), "bin", "java")).toAbsolutePath();
        }

        private Path jarPath() {
            if (jar != null) {
                return jar.toAbsolutePath();
            }
            try {
                var location = Path.of(KernelCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (location.toString().endsWith(".jar")) {
                    return location;
                }
            } catch (URISyntaxException | SecurityException e) {
                throw new NotFoundException("cannot tell which jar is running (" + e.getMessage() + "); pass --jar");
            }
            throw new NotFoundException("not running from a jar; pass --jar target/pipescope.jar");
        }
    }
}
