package dev.pipescope.kernel;

/**
 * One complete snippet cut out of a cell, with where it starts in the cell so that compile errors
 * and stack frames can be reported against cell lines.
 *
 * @param source      the snippet as JShell should evaluate it (a missing final semicolon added)
 * @param startOffset character offset of the snippet's first character in the cell text
 */
record SourceChunk(String source, int startOffset) {
}
