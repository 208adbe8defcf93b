package dev.pipescope.cli;

import dev.pipescope.error.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a helper program (a JVM training a class-data archive, {@code jupyter kernelspec}) with a time limit. */
final class ChildProcess {
    private ChildProcess() {}

    /**
     * Runs {@code command}, collecting its output and error stream into {@code output}.
     *
     * @return its exit code
     * @throws StorageException when it cannot start, runs longer than {@code seconds}, or the wait is interrupted
     */
    static int run(List<String> command, int seconds, StringBuilder output) {
        return run(command, java.util.Map.of(), seconds, output);
    }

    /** {@link #run(List, int, StringBuilder)} with {@code environment} set on top of this process's environment. */
    static int run(List<String> command, java.util.Map<String, String> environment, int seconds, StringBuilder output) {
        try {
            var builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            var process = builder.start();
            // read while it runs: a full pipe would otherwise stop the child
            var reader = new Thread(() -> {
                try {
                    output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    output.append("(output unreadable: ").append(e.getMessage()).append(')');
                }
            }, "child-process-output");
            reader.start();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new StorageException(String.join(" ", command) + " did not finish within " + seconds + " s");
            }
            reader.join();
            return process.exitValue();
        } catch (IOException e) {
            throw new StorageException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while running " + command.get(0), e);
        }
    }
}
