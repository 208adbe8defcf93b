package dev.pipescope.notebook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A drawn picture as SVG text: shown inline by the kernel ({@code image/svg+xml}), and savable from jshell.
 *
 * @param title what the picture shows
 * @param svg   a complete {@code <svg>} document
 */
public record Chart(String title, String svg) {

    /** Writes the SVG to {@code file} and returns the file. */
    public Path save(Path file) {
        try {
            return Files.writeString(file, svg, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the picture '" + title + "' to " + file, e);
        }
    }

    @Override
    public String toString() {
        return "Chart[" + title + ", " + svg.length() + " characters of SVG; save(path) writes it]";
    }
}
