package dev.pipescope.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Installs the kernelspec for the shaded jar into a temporary prefix (never the user's home) and runs
 * Debian's Python Jupyter tools against it.
 */
final class JupyterHarness {

    final Path projectRoot;
    final Path jar;
    final Path prefix;
    final String python;
    /** Extra environment for the Jupyter tools and the kernels they start (e.g. PIPESCOPE_DB). */
    final Map<String, String> environment = new java.util.LinkedHashMap<>();

    private JupyterHarness(Path projectRoot, Path jar, Path prefix, String python) {
        this.projectRoot = projectRoot;
        this.jar = jar;
        this.prefix = prefix;
        this.python = python;
    }

    static JupyterHarness install(Path tempDir) throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("pipescope.root", System.getProperty("user.dir"))).toAbsolutePath();
        Path jar = Path.of(System.getProperty("pipescope.jar", root.resolve("target/pipescope.jar").toString()));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no shaded jar at " + jar + ": run mvn package first (mvn verify does)");
        }
        String python = System.getProperty("pipescope.python", "/usr/bin/python3");
        JupyterHarness harness = new JupyterHarness(root, jar, tempDir.resolve("jupyter-prefix"), python);
        Result installed = harness.run(List.of(root.resolve("kernel/install").toString(),
                "--prefix", harness.prefix.toString(), "--jar", jar.toString(), "--heap", "512m", "--no-launcher"), 120);
        if (installed.exitCode() != 0) {
            throw new IllegalStateException("kernel/install failed:\n" + installed.output());
        }
        return harness;
    }

    record Result(int exitCode, String output) {
    }

    Result python(List<String> args, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(python);
        command.addAll(args);
        return run(command, timeoutSeconds);
    }

    /**
     * Runs one of the Python test scripts under {@code src/test/python} against the installed kernel (10
     * minutes at most), prints its output into the test's report, and fails unless it exits with 0.
     */
    Result pythonSuite(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(projectRoot.resolve("src/test/python").resolve(script).toString());
        command.addAll(List.of(args));
        Result result = python(command, 600);
        System.out.println(result.output());
        org.junit.jupiter.api.Assertions.assertEquals(0, result.exitCode(), result.output());
        return result;
    }

    Result run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder builder = processBuilder(command).redirectErrorStream(true);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish in " + timeoutSeconds + " s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** Starts a long-running Jupyter tool (e.g. the Notebook server) with its output going to {@code log}. */
    Process start(List<String> command, Path log) throws IOException {
        return processBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private ProcessBuilder processBuilder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("JUPYTER_PATH", prefix.resolve("share/jupyter").toString());
        // keep Jupyter's runtime and config files out of the user's home
        env.put("JUPYTER_RUNTIME_DIR", prefix.resolve("runtime").toString());
        env.put("JUPYTER_CONFIG_DIR", prefix.resolve("config").toString());
        env.put("JUPYTER_DATA_DIR", prefix.resolve("data").toString());
        // the kernels see what kernel/start gives them and nothing a developer's shell happens to hold,
        // so a notebook that needs a variable only a test sets fails here too
        env.keySet().removeIf(name -> name.startsWith("PIPESCOPE_"));
        env.put("PIPESCOPE_JAR", jar.toString());
        passThrough(env, "pipescope.db", "PIPESCOPE_DB");
        env.putAll(environment);
        return builder;
    }

    /**
     * The demo database kernel/start makes when it is given none, made the same way
     * ({@code java -jar pipescope.jar demo FILE}), at {@code dir/pipescope-demo.db}.
     */
    Path demoDatabase(Path dir) throws IOException, InterruptedException {
        Path db = Files.createDirectories(dir).resolve("pipescope-demo.db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Result made = run(List.of(java, "-jar", jar.toString(), "demo", db.toString()), 300);
        if (made.exitCode() != 0) {
            throw new IllegalStateException("pipescope demo failed:\n" + made.output());
        }
        return db;
    }

    /** A -Dpipescope.x=... property reaches the kernel as an environment variable. */
    private static void passThrough(Map<String, String> env, String property, String variable) {
        String value = System.getProperty(property);
        if (value != null && !value.isBlank()) {
            env.put(variable, value);
        }
    }
}
