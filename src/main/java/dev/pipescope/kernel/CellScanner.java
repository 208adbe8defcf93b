package dev.pipescope.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells a cell's magics from its Java: a first line {@code %%name args} makes the cell a cell magic, and
 * lines {@code %name args} are line magics that run in order with the Java around them.
 */
final class CellScanner {

    private static final Pattern LINE_MAGIC = Pattern.compile("^\\s*%([A-Za-z][\\w-]*)(.*)$");
    private static final Pattern CELL_MAGIC = Pattern.compile("^\\s*%%([A-Za-z][\\w-]*)(.*)$");

    private CellScanner() {
    }

    /** A cell that starts with {@code %%name args}: the magic's name and arguments, its body and the body's first line (0-based). */
    record CellMagicCall(String name, String args, String body, int bodyLine) {
    }

    /** A piece of a cell: Java lines, or one line magic. Lines are 0-based within the scanned text. */
    sealed interface Segment permits JavaLines, LineMagicCall {
    }

    record JavaLines(String code, int firstLine) implements Segment {
    }

    record LineMagicCall(String name, String args, int line) implements Segment {
    }

    /** The cell magic the cell starts with (after blank lines), if it does. */
    static Optional<CellMagicCall> cellMagic(String cell) {
        List<String> lines = cell.lines().toList();
        int first = 0;
        while (first < lines.size() && lines.get(first).isBlank()) {
            first++;
        }
        if (first < lines.size()) {
            Matcher matcher = CELL_MAGIC.matcher(lines.get(first));
            if (matcher.matches()) {
                String body = String.join("\n", lines.subList(first + 1, lines.size()));
                return Optional.of(new CellMagicCall(matcher.group(1), matcher.group(2).strip(), body, first + 1));
            }
        }
        return Optional.empty();
    }

    /** The Java lines and line magics of {@code code}, in order. */
    static List<Segment> segments(String code) {
        List<String> lines = code.lines().toList();
        List<Segment> segments = new ArrayList<>();
        StringBuilder java = new StringBuilder();
        int javaStart = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher magic = LINE_MAGIC.matcher(lines.get(i));
            if (magic.matches()) {
                if (!java.toString().isBlank()) {
                    segments.add(new JavaLines(java.toString(), javaStart));
                }
                java.setLength(0);
                javaStart = i + 1;
                segments.add(new LineMagicCall(magic.group(1), magic.group(2).strip(), i));
            } else {
                if (java.length() == 0) {
                    javaStart = i;
                }
                java.append(lines.get(i)).append('\n');
            }
        }
        if (!java.toString().isBlank()) {
            segments.add(new JavaLines(java.toString(), javaStart));
        }
        return segments;
    }

    /** The cell with magic lines blanked (same length), for completion and inspection offsets. */
    static String maskMagics(String cell) {
        StringBuilder out = new StringBuilder(cell.length());
        boolean firstContent = true;
        for (String line : cell.split("\n", -1)) {
            boolean magic = LINE_MAGIC.matcher(line).matches() || (firstContent && CELL_MAGIC.matcher(line).matches());
            if (!line.isBlank()) {
                firstContent = false;
            }
            out.append(magic ? " ".repeat(line.length()) : line).append('\n');
        }
        return out.substring(0, cell.length());
    }
}
