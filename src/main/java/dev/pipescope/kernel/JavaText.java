package dev.pipescope.kernel;

/**
 * A lexical look at Java source: which characters are code, and which sit in a string, a text block, a
 * character literal or a comment. Enough to tell where a statement may start, without parsing.
 */
final class JavaText {

    private JavaText() {
    }

    /** Where the text ends lexically. */
    enum State { CODE, STRING, TEXT_BLOCK, CHAR, BLOCK_COMMENT }

    /**
     * How a piece of Java source ends.
     *
     * @param state            what the end of the text is inside (CODE when nothing is left open)
     * @param depth            open '(', '[' and '{' minus closed ones, counted in code only
     * @param lastSignificant  index of the last character that is neither whitespace nor comment, or -1
     */
    record End(State state, int depth, int lastSignificant) {

        /** The last character that is neither whitespace nor comment, or 0 when there is none. */
        char lastChar(String text) {
            return lastSignificant < 0 ? 0 : text.charAt(lastSignificant);
        }
    }

    /** Scans {@code text} from its start. A string left open at a line end counts as ended there (javac reports it). */
    static End scan(String text) {
        State state = State.CODE;
        int depth = 0;
        int last = -1;
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            switch (state) {
                case CODE -> {
                    if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
                        int newline = text.indexOf('\n', i);
                        i = newline < 0 ? n : newline;
                        continue;
                    }
                    if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                        state = State.BLOCK_COMMENT;
                        i += 2;
                        continue;
                    }
                    if (c == '"' && text.startsWith("\"\"\"", i)) {
                        state = State.TEXT_BLOCK;
                        last = i + 2;
                        i += 3;
                        continue;
                    }
                    if (c == '"') {
                        state = State.STRING;
                    } else if (c == '\'') {
                        state = State.CHAR;
                    } else if (c == '(' || c == '[' || c == '{') {
                        depth++;
                    } else if (c == ')' || c == ']' || c == '}') {
                        depth--;
                    }
                    if (!Character.isWhitespace(c)) {
                        last = i;
                    }
                }
                case STRING, CHAR -> {
                    char quote = state == State.STRING ? '"' : '\'';
                    if (c == '\\') {
                        i += 2;
                        last = Math.min(i - 1, n - 1);
                        continue;
                    }
                    if (c == quote || c == '\n') {
                        state = State.CODE;
                    }
                    if (c != '\n') {
                        last = i;
                    }
                }
                case TEXT_BLOCK -> {
                    if (c == '\\') {
                        i += 2;
                        continue;
                    }
                    if (text.startsWith("\"\"\"", i)) {
                        state = State.CODE;
                        last = i + 2;
                        i += 3;
                        continue;
                    }
                }
                case BLOCK_COMMENT -> {
                    if (c == '*' && i + 1 < n && text.charAt(i + 1) == '/') {
                        state = State.CODE;
                        i += 2;
                        continue;
                    }
                }
            }
            i++;
        }
        return new End(state, depth, last);
    }
}
