package dev.pipescope.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the figures of the reliability suites into {@code target/reliability/RELIABILITY.md}, so the
 * document always says what the last run actually did. Each suite owns one section (kept in
 * {@code target/reliability/sections/SUITE.md}); the document is rewritten whole from them.
 *
 * <p>No test writes into the source tree: the committed {@code RELIABILITY.md} is refreshed from this
 * file by {@code mvn -B -ntp -Preliability verify}, which runs only these suites and then copies it.
 */
public final class ReliabilityReport {
    /** Relative to the working directory, which surefire and failsafe set to the project's root. */
    static final Path DIR = Path.of("target", "reliability");
    static final Path FILE = DIR.resolve("RELIABILITY.md");
    private static final Path SECTIONS = DIR.resolve("sections");

    private ReliabilityReport() {}

    /** Records a suite's figures under its name. */
    public static void record(String suite, Map<String, ? extends Number> figures) {
        record(suite, "", figures);
    }

    /** Records a suite's figures with a sentence saying what the suite proves. */
    public static synchronized void record(String suite, String proves, Map<String, ? extends Number> figures) {
        try {
            Files.createDirectories(SECTIONS);
            var section = new StringBuilder();
            if (!proves.isBlank()) {
                section.append(proves.strip()).append("\n\n");
            }
            section.append("| figure | value |\n|---|---|\n");
            new TreeMap<>(figures).forEach((k, v) -> section.append("| ").append(k).append(" | ").append(v).append(" |\n"));
            section.append("\n_Run ").append(Instant.now()).append("._\n");
            Files.writeString(SECTIONS.resolve(suite + ".md"), section.toString());
            render();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE.toAbsolutePath(), e);
        }
    }

    private static void render() throws IOException {
        var out = new StringBuilder("""
                # Reliability

                Written by the reliability test suites themselves, so it states what the last run did. Each
                section is one suite; figures are counts from that run. Every `mvn -B -ntp verify` writes
                `target/reliability/RELIABILITY.md`; `mvn -B -ntp -Preliability verify` runs only these suites
                and copies the result here.

                """);
        try (var files = Files.list(SECTIONS)) {
            for (var section : files.sorted().toList()) {
                var name = section.getFileName().toString().replace(".md", "");
                out.append("## ").append(name).append("\n\n").append(Files.readString(section)).append('\n');
            }
        }
        Files.writeString(FILE, out.toString());
    }
}
