package dev.pipescope.cli;

import dev.pipescope.kernel.PipescopeKernel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.error.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs this kernel as a Jupyter kernelspec: writes {@code kernel.json} and hands it to
 * {@code jupyter kernelspec install}. {@code pipescope kernel install} and {@code kernel/install} both
 * come here, so there is one definition of how the kernel is launched.
 *
 * @param java the JVM the kernel runs on
 * @param jar the shaded Pipescope jar
 * @param heap the kernel's {@code -Xmx}, e.g. {@code 1g}
 * @param timeoutSeconds per-cell evaluation timeout, 0 for none
 * @param name the kernelspec's name
 * @param displayName what Jupyter shows
 * @param remoteExecution run snippets on JShell's remote agent (for benchmarks against that design only)
 * @param fullJit let the JVM compile hot code with C2 as well: heavy cells (a million runs into a table)
 *        run ~1.4x faster, but the first result comes ~1.2 s later and a trivial cell takes ~34 ms, not ~23
 */
public record KernelSpecInstaller(Path java, Path jar, String heap, int timeoutSeconds, String name,
                                  String displayName, boolean remoteExecution, boolean fullJit) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Flags shared by the kernel, its class-data training run and the archive check, which must agree. */
    private static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Djava.awt.headless=true");
    /** What a fast-start kernel runs with: C1 only, whose compiled code is ready soonest. */
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    public KernelSpecInstaller {
        if (!heap.matches("\\d+[kKmMgG]?")) {
            throw new InvalidArgumentException("heap size '" + heap + "' is not like 512m or 2g");
        }
        if (timeoutSeconds < 0) {
            throw new InvalidArgumentException("evaluation timeout must be 0 (none) or more seconds, was " + timeoutSeconds);
        }
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new InvalidArgumentException("kernel name '" + name + "' may hold only letters, digits, '.', '_' and '-'");
        }
        if (!Files.isRegularFile(jar)) {
            throw new NotFoundException("no Pipescope jar at " + jar + " (build it with mvn -DskipTests package)");
        }
        if (!Files.isExecutable(java)) {
            throw new NotFoundException("no java executable at " + java);
        }
    }

    /** The class-data-sharing archive beside the jar: a kernel starts markedly faster with it. */
    public Path classDataArchive() {
        var file = jar.getFileName().toString();
        return jar.resolveSibling(file.replaceAll("\\.jar$", "") + ".jsa");
    }

    /** The kernelspec's {@code kernel.json}. */
    public ObjectNode kernelJson() {
        var spec = JSON.createObjectNode();
        var argv = spec.putArray("argv");
        argv.add(java.toString()).add("-Xms32m").add("-Xmx" + heap);
        JVM_FLAGS.stream().filter(flag -> !(fullJit && flag.equals(C1_ONLY))).forEach(argv::add);
        argv.add("-XX:SharedArchiveFile=" + classDataArchive()).add("-Xlog:cds=off").add("-Xlog:cds+dynamic=off");
        argv.add("-cp").add(jar.toString()).add(PipescopeKernel.class.getName()).add("{connection_file}");
        spec.put("display_name", displayName);
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        var env = spec.putObject("env");
        env.put("PIPESCOPE_EVAL_TIMEOUT", Integer.toString(timeoutSeconds));
        if (remoteExecution) {
            env.put("PIPESCOPE_KERNEL_EXECUTION", "remote");
        }
        spec.putObject("metadata").put("debugger", false);
        return spec;
    }

    /**
     * Makes sure the class-data archive is usable by {@link #java}, training a fresh one when it is
     * not (a newer jar, another JDK). @return false when none could be made (the kernel starts slower)
     */
    public boolean ensureClassDataArchive() {
        var archive = classDataArchive();
        if (Files.isRegularFile(archive) && run(command("-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-version"), 60) == 0) {
            return true;
        }
        var fresh = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid());
        int code = run(command("-XX:ArchiveClassesAtExit=" + fresh, PipescopeKernel.class.getName(), "--train"), 300);
        try {
            if (code == 0 && Files.isRegularFile(fresh) && Files.size(fresh) > 0) {
                Files.move(fresh, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return true;
            }
            Files.deleteIfExists(fresh);
            return false;
        } catch (IOException e) {
            throw new StorageException("cannot write the class-data archive " + archive + ": " + e.getMessage(), e);
        }
    }

    private List<String> command(String... tail) {
        var command = new ArrayList<String>();
        command.add(java.toString());
        command.addAll(JVM_FLAGS);
        command.add("-cp");
        command.add(jar.toString());
        command.addAll(List.of(tail));
        return command;
    }

    /**
     * Installs the kernelspec with {@code jupyter kernelspec install --replace}.
     *
     * @param jupyter the {@code jupyter} executable
     * @param scope {@code --user}, {@code --sys-prefix}, or {@code --prefix DIR}
     * @return where Jupyter put it, as it reports
     */
    public String install(Path jupyter, List<String> scope) {
        if (!Files.isExecutable(jupyter)) {
            throw new NotFoundException("no jupyter at " + jupyter + "; install Debian's jupyter-client (kernel/packages)");
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("pipescope-kernelspec");
            Files.writeString(dir.resolve("kernel.json"),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(kernelJson()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StorageException("cannot write the kernelspec: " + e.getMessage(), e);
        }
        try {
            var command = new ArrayList<>(List.of(jupyter.toString(), "kernelspec", "install", "--replace", "--name", name));
            command.addAll(scope);
            command.add(dir.toString());
            var output = new StringBuilder();
            int code = run(command, 120, output);
            if (code != 0) {
                throw new StorageException("jupyter kernelspec install failed (exit " + code + "):\n" + output.toString().strip());
            }
            return output.toString().strip();
        } finally {
            try {
                Files.deleteIfExists(dir.resolve("kernel.json"));
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // a leftover temporary folder is harmless; say so rather than fail an install that worked
                System.err.println("note: could not remove " + dir + ": " + e.getMessage());
            }
        }
    }

    private static int run(List<String> command, int seconds) {
        return run(command, seconds, new StringBuilder());
    }

    private static int run(List<String> command, int seconds, StringBuilder output) {
        return ChildProcess.run(command, seconds, output);
    }
}
