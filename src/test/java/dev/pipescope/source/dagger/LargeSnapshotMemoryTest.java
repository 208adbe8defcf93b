package dev.pipescope.source.dagger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encoding and decoding are streaming: a snapshot of over 100 MB of JSON is saved, listed and loaded
 * in a JVM whose whole heap is 160 MB. Decoding into a byte array first would need the raw JSON
 * (over 100 MB) and the cache it decodes to (about as much) at once, which does not fit.
 */
class LargeSnapshotMemoryTest {
    @TempDir
    Path dir;

    @Test
    void aSnapshotOfOver100MbRoundTripsIn160MbOfHeap() throws Exception {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = List.of(java, "-Xmx160m", "-cp", System.getProperty("java.class.path"),
                LargeSnapshotProbe.class.getName(), dir.resolve("big.db").toString(), "100");
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "probe did not finish");
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, process.exitValue(), output);
        var parts = output.lines().reduce((a, b) -> b).orElse("").split(" ");
        assertEquals("ok", parts[0], output);
        assertTrue(Long.parseLong(parts[1]) > 100_000_000L, output);
        assertEquals("100", parts[2], output);
    }
}
