package dev.pipescope.cli;

import dev.pipescope.demo.DemoData;
import dev.pipescope.demo.DemoSize;
import dev.pipescope.kernel.PipescopeKernel;
import dev.pipescope.ops.Progress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.error.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    /** The kernel's initial heap, or its whole heap when {@code --heap} is smaller. */
    static final String INITIAL_HEAP = "128m";
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

    /** A JVM heap size ({@code 512m}, {@code 2g}, {@code 1048576}) in bytes. */
    static long bytes(String size) {
        char unit = Character.toLowerCase(size.charAt(size.length() - 1));
        long scale = switch (unit) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        return Long.parseLong(Character.isDigit(unit) ? size : size.substring(0, size.length() - 1)) * scale;
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
        // 128 MiB at first, not 32: an analyst's first dozen cells took 26 young and 3 full collections while
        // the heap grew from 32 MiB, and 6 to 15 young ones from 128 (-Xlog:gc, bench/session's cells)
        argv.add(java.toString()).add("-Xms" + (bytes(heap) < bytes(INITIAL_HEAP) ? heap : INITIAL_HEAP)).add("-Xmx" + heap);
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
     * The cells the class-data training runs on its small demo database (after the kernel's own start, cells and
     * the integrations' warm-ups): an analyst's first questions, so that the archive holds the classes they load.
     */
    static final List<String> TRAINING_CELLS = List.of(
            "describe()",
            "var all = allRuns();\nall.where(all.stringColumn(\"status\").isEqualTo(\"failed\"))",
            "pipelines()",
            "stats()",
            "var week = window(Duration.ofDays(7));\ncompare(week.previous(), week)",
            "var hourly = counts(runs(Duration.ofDays(2)), Duration.ofHours(1));\nchart(hourly, \"bucket\", \"failed\")",
            "slowest(5)",
            "String dag = dags().stringColumn(\"dag\").get(0);\ngraph(dag)",
            "%%sql\nSELECT p.name, count(*) AS runs FROM pipeline_runs r JOIN pipelines p ON p.id = r.pipeline_id GROUP BY p.name",
            "snapshot(dag, snapshots(dag).instantColumn(\"created_at\").get(0).plusSeconds(1))",
            "timeline(runs(Duration.ofDays(1)))");
    /** The training's demo database: every helper above has rows, and it is made in well under a second. */
    static final DemoSize TRAINING_DEMO = new DemoSize(4, 400, 2, 2, 3);

    /**
     * Makes sure the class-data archive is usable by {@link #java}, training a fresh one when it is not (a newer
     * jar, another JDK): a kernel started on a small demo database of its own ({@code PIPESCOPE_DB}) runs
     * {@link #TRAINING_CELLS}.
     *
     * @return empty when the archive is usable, else why none could be made (the kernel then starts more slowly)
     * @throws StorageException when the archive or the training's temporary files cannot be written
     */
    public Optional<String> ensureClassDataArchive() {
        var archive = classDataArchive();
        if (Files.isRegularFile(archive) && run(command("-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-version"), 60) == 0) {
            return Optional.empty();
        }
        var fresh = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid());
        Path work;
        try {
            work = Files.createTempDirectory("pipescope-kernel-training-");
        } catch (IOException e) {
            throw new StorageException("cannot make a folder for the class-data training: " + e.getMessage(), e);
        }
        try {
            var demo = work.resolve("demo.db");
            DemoData.create(demo, TRAINING_DEMO, DemoData.DEFAULT_SEED, Progress.NONE).close();
            var command = command("-XX:ArchiveClassesAtExit=" + fresh, PipescopeKernel.class.getName(), "--train");
            for (int i = 0; i < TRAINING_CELLS.size(); i++) {
                command.add(Files.writeString(work.resolve("cell-" + i + ".jsh"), TRAINING_CELLS.get(i)).toString());
            }
            var output = new StringBuilder();
            int code = ChildProcess.run(command, Map.of("PIPESCOPE_DB", demo.toString()), 300, output);
            if (code == 0 && Files.isRegularFile(fresh) && Files.size(fresh) > 0) {
                Files.move(fresh, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return Optional.empty();
            }
            Files.deleteIfExists(fresh);
            return Optional.of("the training run exited with " + code + ": " + output.toString().strip());
        } catch (IOException e) {
            throw new StorageException("cannot write the class-data archive " + archive + ": " + e.getMessage(), e);
        } finally {
            delete(work);
        }
    }

    private static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            for (var path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new StorageException("cannot remove the class-data training's folder " + dir + ": " + e.getMessage(), e);
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
