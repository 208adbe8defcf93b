package dev.pipescope.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the figures of the reliability suites into {@code RELIABILITY.md}, so the document always
 * says what the last run actually did. Each suite owns one section; the file is rewritten whole.
 */
public final class ReliabilityReport {
    private static final Path FILE = Path.of("RELIABILITY.md");
    private static final Path STATE = Path.of("target", "reliability");

    private ReliabilityReport() {}

    /** Records a suite's figures under its name. */
    public static void record(String suite, Map<String, ? extends Number> figures) {
        record(suite, "", figures);
    }

    /** Records a suite's figures with a sentence saying what the suite proves. */
    public static synchronized void record(String suite, String proves, Map<String, ? extends Number> figures) {
        try {
            Files.createDirectories(STATE);
            var section = new StringBuilder();
            if (!proves.isBlank()) {
                section.append(proves.strip()).append("\n\n");
            }
            section.append("| figure | value |\n|---|---|\n");
            new TreeMap<>(figures).forEach((k, v) -> section.append("| ").append(k).append(" | ").append(v).append(" |\n"));
            section.append("\n_Run ").append(Instant.now()).append("._\n");
            Files.writeString(STATE.resolve(suite + ".md"), section.toString());
            render();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE.toAbsolutePath(), e);
        }
    }

    private static void render() throws IOException {
        var out = new StringBuilder("""
                # Reliability

                Written by the reliability test suites themselves (`mvn -B -ntp verify`), so it states what
                the last run did. Each section is one suite; figures are counts from that run.

                """);
        try (var files = Files.list(STATE)) {
            for (var section : files.sorted().toList()) {
                var name = section.getFileName().toString().replace(".md", "");
                out.append("## ").append(name).append("\n\n").append(Files.readString(section)).append('\n');
            }
        }
        Files.writeString(FILE, out.toString());
    }
}
