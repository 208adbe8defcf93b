package dev.pipescope.kernel;

import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

import java.util.ArrayList;
import java.util.List;

/** Cuts a cell into JShell snippets, keeping each snippet's offset in the cell. */
final class CellSplitter {

    private CellSplitter() {
    }

    /** The outcome of splitting: the complete snippets, and an unfinished tail if the cell ends mid-snippet. */
    record Split(List<SourceChunk> chunks, String incompleteTail, int tailOffset) {
        boolean complete() {
            return incompleteTail.isBlank();
        }
    }

    static Split split(SourceCodeAnalysis analysis, String cell) {
        List<SourceChunk> chunks = new ArrayList<>();
        int offset = 0;
        String rest = cell;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            Completeness completeness = info.completeness();
            if (!completeness.isComplete() && completeness != Completeness.UNKNOWN) {
                if (completeness == Completeness.EMPTY) {
                    break;
                }
                int blank = leadingWhitespace(rest);
                return new Split(chunks, rest.substring(blank), offset + blank);
            }
            String remaining = info.remaining();
            int consumed = consumedLength(rest, remaining);
            String source = info.source();
            if (source == null || source.isBlank()) {
                // JShell could not isolate a snippet: hand the rest over whole and let it report
                chunks.add(new SourceChunk(rest, offset, rest));
                break;
            }
            // JShell numbers a snippet's lines from its first non-blank character
            int blank = leadingWhitespace(source);
            int start = Math.min(leadingWhitespace(rest), consumed);
            chunks.add(new SourceChunk(source.substring(blank), offset + blank, rest.substring(start, consumed)));
            offset += consumed;
            rest = rest.substring(consumed);
            if (consumed == 0) {
                break;
            }
        }
        return new Split(chunks, "", offset);
    }

    /** JShell's "remaining" is the unconsumed tail, sometimes with a newline appended. */
    private static int consumedLength(String input, String remaining) {
        if (remaining == null || remaining.isEmpty()) {
            return input.length();
        }
        if (input.endsWith(remaining)) {
            return input.length() - remaining.length();
        }
        String trimmed = remaining.substring(0, remaining.length() - 1);
        if (remaining.endsWith("\n") && input.endsWith(trimmed)) {
            return input.length() - trimmed.length();
        }
        int at = input.indexOf(remaining.strip());
        return at >= 0 ? at : input.length();
    }

    private static int leadingWhitespace(String text) {
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Zero-based line of a character offset. */
    static int lineOf(String text, int offset) {
        int line = 0;
        int end = Math.min(offset, text.length());
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
