package dev.pipescope.kernel;

/**
 * One complete snippet cut out of a cell, with where it starts in the cell so that compile errors
 * and stack frames can be reported against cell lines.
 *
 * @param source      the snippet as JShell should evaluate it (a missing final semicolon added)
 * @param startOffset character offset of the snippet's first character in the cell text
 * @param original    the snippet as the user wrote it (no semicolon added, trailing comments kept)
 */
record SourceChunk(String source, int startOffset, String original) {

    /** True when the user ended the snippet with a ';' (as opposed to JShell adding one, or none being needed). */
    boolean endsWithSemicolon() {
        JavaText.End end = JavaText.scan(original);
        return end.lastChar(original) == ';';
    }
}
