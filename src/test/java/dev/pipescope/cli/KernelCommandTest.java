package dev.pipescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pipescope kernel install} writes a kernelspec Jupyter accepts, with the options given. */
class KernelCommandTest {
    @TempDir
    Path dir;

    @Test
    void installsAKernelspecUnderAPrefixWithTheGivenOptions() throws IOException {
        var jar = Files.writeString(dir.resolve("pipescope.jar"), "not a real jar: the archive training just fails");
        var prefix = dir.resolve("prefix");
        var result = MainTest.run("kernel", "install", "--prefix", prefix.toString(), "--jar", jar.toString(),
                "--heap", "256m", "--timeout", "30", "--name", "pipescope-test", "--display-name", "Pipescope <test>");
        assertEquals(0, result.code(), result.out() + result.err());
        assertTrue(result.err().contains("could not write the class-data archive"), result.err());
        var spec = new ObjectMapper().readTree(prefix.resolve("share/jupyter/kernels/pipescope-test/kernel.json").toFile());
        assertEquals("Pipescope <test>", spec.get("display_name").asText());
        assertEquals("java", spec.get("language").asText());
        var argv = spec.get("argv").toString();
        assertTrue(argv.contains("\"-Xmx256m\""), argv);
        assertTrue(argv.contains(jar.toAbsolutePath().toString()), argv);
        assertTrue(argv.endsWith("\"dev.pipescope.kernel.PipescopeKernel\",\"{connection_file}\"]"), argv);
        assertEquals("30", spec.get("env").get("PIPESCOPE_EVAL_TIMEOUT").asText());
        assertFalse(spec.get("env").has("PIPESCOPE_KERNEL_EXECUTION"));
        assertTrue(argv.contains("\"-XX:TieredStopAtLevel=1\""), argv);
    }

    @Test
    void theInitialHeapIs128MegabytesOrTheWholeHeapWhenThatIsSmaller() throws IOException {
        var jar = Files.writeString(dir.resolve("pipescope.jar"), "not a real jar");
        for (var heap : new String[][] {{"1g", "-Xms128m"}, {"64m", "-Xms64m"}, {"100000k", "-Xms100000k"}}) {
            var prefix = dir.resolve("prefix-" + heap[0]);
            var result = MainTest.run("kernel", "install", "--prefix", prefix.toString(), "--jar", jar.toString(),
                    "--name", "pipescope-heap", "--heap", heap[0]);
            assertEquals(0, result.code(), result.out() + result.err());
            var argv = new ObjectMapper().readTree(prefix.resolve("share/jupyter/kernels/pipescope-heap/kernel.json")
                    .toFile()).get("argv").toString();
            // a JVM refuses to start with an initial heap larger than its maximum
            assertTrue(argv.contains("\"" + heap[1] + "\",\"-Xmx" + heap[0] + "\""), heap[0] + ": " + argv);
        }
    }

    @Test
    void aFullJitKernelLetsC2CompileToo() throws IOException {
        var jar = Files.writeString(dir.resolve("pipescope.jar"), "not a real jar");
        var prefix = dir.resolve("prefix");
        var result = MainTest.run("kernel", "install", "--prefix", prefix.toString(), "--jar", jar.toString(),
                "--name", "pipescope-full", "--jit", "full");
        assertEquals(0, result.code(), result.out() + result.err());
        var argv = new ObjectMapper().readTree(prefix.resolve("share/jupyter/kernels/pipescope-full/kernel.json")
                .toFile()).get("argv").toString();
        assertFalse(argv.contains("TieredStopAtLevel"), argv);
        assertTrue(argv.contains("\"-XX:+UseSerialGC\""), argv);
    }

    @Test
    void badOptionsAreUsageErrorsAndInstallNothing() throws IOException {
        var jar = Files.writeString(dir.resolve("pipescope.jar"), "x");
        var prefix = dir.resolve("prefix");
        for (var args : new String[][] {{"--heap", "lots"}, {"--execution", "elsewhere"}, {"--name", "a b"}, {"--jit", "c3"}}) {
            var all = new java.util.ArrayList<>(java.util.List.of("kernel", "install", "--prefix", prefix.toString(),
                    "--jar", jar.toString()));
            all.addAll(java.util.List.of(args));
            var result = MainTest.run(all.toArray(String[]::new));
            assertEquals(ExitCodes.USAGE, result.code(), String.join(" ", args) + ": " + result.err());
        }
        assertFalse(Files.exists(prefix));
        var missing = MainTest.run("kernel", "install", "--prefix", prefix.toString(), "--jar", dir.resolve("none.jar").toString());
        assertEquals(ExitCodes.NOT_FOUND, missing.code());
        assertTrue(missing.err().contains("none.jar"), missing.err());
    }
}
