package dev.pipescope.kernel;

import jdk.jshell.SourceCodeAnalysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells a cell's magics from its Java. A first line {@code %%name args} makes the cell a cell magic. A
 * line {@code %name args} is a line magic only where a Java statement can start: after a finished
 * statement or declaration, never inside a string, text block, comment or unfinished expression, where
 * {@code %} is Java's remainder operator or just text ({@code int r = a} / {@code %b;} is {@code a % b}).
 */
final class CellScanner {

    private static final Pattern MAGIC_LINE = Pattern.compile("^\\s*(%%?)([A-Za-z][\\w-]*)(.*)$");
    private static final Pattern CELL_MAGIC = Pattern.compile("^\\s*%%([A-Za-z][\\w-]*)(.*)$");

    private final SourceCodeAnalysis analysis;

    /** @param analysis JShell's analysis, which cuts the Java before a {@code %} line into snippets */
    CellScanner(SourceCodeAnalysis analysis) {
        this.analysis = analysis;
    }

    /** A cell that starts with {@code %%name args}: the magic's name and arguments, its body and the body's first line (0-based). */
    record CellMagicCall(String name, String args, String body, int bodyLine) {
    }

    /** A piece of a cell: Java lines, a line magic, or a cell magic where it cannot be. Lines are 0-based. */
    sealed interface Segment permits JavaLines, LineMagicCall, MisplacedCellMagic {
    }

    record JavaLines(String code, int firstLine) implements Segment {
    }

    record LineMagicCall(String name, String args, int line) implements Segment {
    }

    /** {@code %%name} where a statement could start but not on the cell's first line. */
    record MisplacedCellMagic(String name, int line) implements Segment {
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

    /** The Java lines and magic lines of {@code code} (a cell without a cell magic, or a {@code %%time} body), in order. */
    List<Segment> segments(String code) {
        List<String> lines = code.lines().toList();
        List<Segment> segments = new ArrayList<>();
        StringBuilder java = new StringBuilder();
        int javaStart = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher magic = MAGIC_LINE.matcher(lines.get(i));
            if (magic.matches() && statementCanStartAfter(java.toString())) {
                if (!java.toString().isBlank()) {
                    segments.add(new JavaLines(java.toString(), javaStart));
                }
                java.setLength(0);
                javaStart = i + 1;
                segments.add(magic.group(1).equals("%%")
                        ? new MisplacedCellMagic(magic.group(2), i)
                        : new LineMagicCall(magic.group(2), magic.group(3).strip(), i));
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

    /**
     * True when a statement can start after {@code java}: nothing is left open (string, text block,
     * comment, bracket) and it ends with a finished statement, i.e. a ';' or a '}' that {@code %} cannot
     * continue ({@code void f() { }} yes, {@code int n = switch (x) { ... }} no).
     */
    private boolean statementCanStartAfter(String java) {
        JavaText.End end = JavaText.scan(java);
        if (end.state() != JavaText.State.CODE || end.depth() != 0) {
            return false;
        }
        char last = end.lastChar(java);
        if (last == 0 || last == ';') {
            return true;
        }
        if (last != '}') {
            return false;
        }
        CellSplitter.Split split = CellSplitter.split(analysis, java);
        if (!split.complete() || split.chunks().isEmpty()) {
            return split.complete();
        }
        String snippet = split.chunks().get(split.chunks().size() - 1).original();
        return !SyntaxCheck.parses(snippet + "\n% x");
    }

    /**
     * The cell with its magic lines blanked (same length, so offsets stay), for asking JShell about the
     * Java around them. A cell magic's first line is blanked too; its body is left as it is.
     */
    String maskMagics(String cell) {
        char[] masked = cell.toCharArray();
        List<int[]> lineBounds = lineBounds(cell);
        List<Integer> magicLines = new ArrayList<>();
        Optional<CellMagicCall> cellMagic = cellMagic(cell);
        int offset = 0;
        String code = cell;
        if (cellMagic.isPresent()) {
            magicLines.add(cellMagic.get().bodyLine() - 1);
            offset = cellMagic.get().bodyLine();
            code = cellMagic.get().body();
        }
        for (Segment segment : segments(code)) {
            if (segment instanceof LineMagicCall magic) {
                magicLines.add(offset + magic.line());
            } else if (segment instanceof MisplacedCellMagic magic) {
                magicLines.add(offset + magic.line());
            }
        }
        for (int line : magicLines) {
            if (line < lineBounds.size()) {
                int[] bounds = lineBounds.get(line);
                Arrays.fill(masked, bounds[0], bounds[1], ' ');
            }
        }
        return new String(masked);
    }

    /** [start, end) of each line as {@link String#lines()} counts them. */
    private static List<int[]> lineBounds(String text) {
        List<int[]> bounds = new ArrayList<>();
        int start = 0;
        int n = text.length();
        while (start < n) {
            int end = start;
            while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            bounds.add(new int[] {start, end});
            if (end < n && text.charAt(end) == '\r' && end + 1 < n && text.charAt(end + 1) == '\n') {
                end++;
            }
            start = end + 1;
        }
        return bounds;
    }
}
