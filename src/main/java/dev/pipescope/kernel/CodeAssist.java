package dev.pipescope.kernel;

import jdk.jshell.SourceCodeAnalysis;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Answers the editor's questions about a cell that is being written: completion (Tab), inspection
 * (Shift-Tab) and whether the console should run it yet (is_complete). Magic lines are not Java and are
 * left out of what JShell is asked.
 */
final class CodeAssist {

    private final ShellSession session;
    private final SourceCodeAnalysis analysis;
    private final CellScanner scanner;
    private final Predicate<String> cellMagicExists;

    /**
     * @param scanner         tells the cell's magic lines, which are not Java, from the rest
     * @param cellMagicExists whether {@code %%name} is a cell magic of the session (by name, without %%)
     */
    CodeAssist(ShellSession session, CellScanner scanner, Predicate<String> cellMagicExists) {
        this.session = session;
        this.analysis = session.analysis();
        this.scanner = scanner;
        this.cellMagicExists = cellMagicExists;
    }

    /** The unfinished snippet that ends at {@code cursor}, and where it starts in {@code code}. */
    private record Tail(String text, int start) {
    }

    private Tail tailAt(String code, int cursor) {
        String prefix = code.substring(0, Math.min(cursor, code.length()));
        CellSplitter.Split split = CellSplitter.split(analysis, prefix);
        if (!split.complete()) {
            return new Tail(split.incompleteTail(), split.tailOffset());
        }
        if (split.chunks().isEmpty()) {
            return new Tail(prefix, 0);
        }
        int start = split.chunks().get(split.chunks().size() - 1).startOffset();
        return new Tail(prefix.substring(start), start);
    }

    /**
     * What may replace the text before the cursor, best matches (by type) first.
     *
     * @param cursorCodePoints where the cursor is, in Unicode code points from the cell's start (Jupyter
     *                         protocol 5.2+); the replacement range comes back in code points too
     */
    ReplacementOptions complete(String cell, int cursorCodePoints) {
        int cursor = utf16Offset(cell, cursorCodePoints);
        if (bodyIsNotJava(cell)) {
            int at = codePointOffset(cell, cursor);
            return new ReplacementOptions(List.of(), at, at);
        }
        String code = scanner.maskMagics(cell);
        Tail tail = tailAt(code, cursor);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions =
                analysis.completionSuggestions(tail.text(), tail.text().length(), anchor);
        Set<String> preferred = new LinkedHashSet<>();
        Set<String> others = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion s : suggestions) {
            (s.matchesType() ? preferred : others).add(s.continuation());
        }
        preferred.addAll(others);
        return new ReplacementOptions(new ArrayList<>(preferred),
                codePointOffset(cell, tail.start() + anchor[0]), codePointOffset(cell, cursor));
    }

    /**
     * Signature and Javadoc of what the cursor is on (with all the Javadoc when {@code detail}), or null.
     *
     * @param cursorCodePoints the cursor in Unicode code points from the cell's start (protocol 5.2+)
     */
    String inspect(String cell, int cursorCodePoints, boolean detail) {
        if (bodyIsNotJava(cell)) {
            return null;
        }
        String code = scanner.maskMagics(cell);
        int end = utf16Offset(cell, cursorCodePoints);
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
            end++;
        }
        Tail tail = tailAt(code, end);
        String text = tail.text();
        List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(text, text.length(), true);
        if (docs.isEmpty() && !text.isEmpty() && Character.isJavaIdentifierPart(text.charAt(text.length() - 1))) {
            docs = analysis.documentation(text + "(", text.length() + 1, true);
        }
        StringBuilder out = new StringBuilder();
        Set<String> shown = new HashSet<>();
        for (SourceCodeAnalysis.Documentation doc : docs) {
            // JShell lists a method again for each time it recompiled it (an overload arriving later does that)
            if (!shown.add(doc.signature())) {
                continue;
            }
            if (out.length() > 0) {
                out.append("\n\n");
            }
            out.append(doc.signature());
            String javadoc = doc.javadoc();
            if (javadoc != null && !javadoc.isBlank()) {
                out.append('\n').append(detail ? javadoc.strip() : summary(javadoc));
            }
        }
        String variable = identifierBefore(code, end);
        if (out.length() == 0 && variable != null) {
            session.variableType(variable).ifPresent(type -> out.append(type).append(' ').append(variable));
        }
        return out.length() == 0 ? null : out.toString();
    }

    private static String identifierBefore(String code, int end) {
        int start = end;
        while (start > 0 && Character.isJavaIdentifierPart(code.charAt(start - 1))) {
            start--;
        }
        return start == end ? null : code.substring(start, end);
    }

    /** The first paragraph of a Javadoc comment as plain text, which is what a tooltip needs. */
    static String summary(String javadoc) {
        String text = javadoc.strip();
        for (String end : new String[] {"\n\n", "<p>", "<P>", "\n@"}) {
            int at = text.indexOf(end);
            if (at > 0) {
                text = text.substring(0, at);
            }
        }
        text = text.replaceAll("\\{@(?:code|link|linkplain|literal)\\s+([^}]*)}", "$1")
                .replaceAll("<[^>]+>", "")
                .replaceAll("\\s+", " ");
        return text.strip();
    }

    /**
     * Jupyter's is_complete: "complete", "incomplete" (answered as the indent for the next line, "" or
     * spaces), or "invalid" for a syntax error. A cell magic's cell is incomplete until it has a body
     * and then complete, except {@code %%time}, whose body is Java; an unknown cell magic is invalid.
     */
    String isComplete(String cell) {
        Optional<CellScanner.CellMagicCall> magic = CellScanner.cellMagic(cell);
        if (magic.isEmpty()) {
            return javaCompleteness(cell);
        }
        CellScanner.CellMagicCall call = magic.get();
        if (!cellMagicExists.test(call.name())) {
            return "invalid";
        }
        if (call.body().isBlank()) {
            return "";
        }
        return call.name().equals("time") ? javaCompleteness(call.body()) : "complete";
    }

    private String javaCompleteness(String code) {
        if (scanner.segments(code).stream().anyMatch(s -> s instanceof CellScanner.MisplacedCellMagic)) {
            return "invalid";
        }
        CellSplitter.Split split = CellSplitter.split(analysis, scanner.maskMagics(code));
        for (SourceChunk chunk : split.chunks()) {
            if (!SyntaxCheck.parses(chunk.source())) {
                return "invalid";
            }
        }
        if (!split.complete()) {
            String tail = split.incompleteTail();
            long open = tail.chars().filter(c -> c == '{').count() - tail.chars().filter(c -> c == '}').count();
            return " ".repeat((int) Math.max(0, open) * 4);
        }
        return "complete";
    }

    /** True when the cell starts with a cell magic whose body is not Java ({@code %%sql}), so JShell has nothing to say. */
    private boolean bodyIsNotJava(String cell) {
        return CellScanner.cellMagic(cell).filter(call -> !call.name().equals("time")).isPresent();
    }

    /** A protocol cursor (code points, clamped to the text) as a Java string index (UTF-16 units). */
    static int utf16Offset(String text, int codePoints) {
        int total = text.codePointCount(0, text.length());
        return text.offsetByCodePoints(0, Math.max(0, Math.min(codePoints, total)));
    }

    /** A Java string index (UTF-16 units) as a protocol cursor (code points). */
    static int codePointOffset(String text, int utf16) {
        return text.codePointCount(0, Math.max(0, Math.min(utf16, text.length())));
    }

    /** Exercises completion and the syntax check, so the first Tab or is_complete answers quickly. */
    void warmUp() {
        analysis.completionSuggestions("String.val", 10, new int[1]);
        SyntaxCheck.parses("1 + 1");
    }
}
