package dev.pipescope.kernel;

/**
 * A lexical look at Java source: which characters are code, and which sit in a string, a text block, a
 * character literal or a comment. Enough to tell where a statement may start, or an assignment from
 * other expressions, in microseconds rather than a javac parse's milliseconds.
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
        return walk(text, null);
    }

    /**
     * True when the expression statement {@code text} is an assignment: it has an assignment operator
     * ({@code =}, {@code +=}, {@code >>>=}...) outside brackets, strings and comments ({@code x[0] = 3},
     * {@code total += n}; not {@code a == b}, {@code a <= b} or {@code f(x = 1)}).
     */
    static boolean isAssignment(String text) {
        boolean[] found = new boolean[1];
        walk(text, (i, depth) -> {
            if (depth == 0 && text.charAt(i) == '=' && assignmentOperatorAt(text, i)) {
                found[0] = true;
            }
        });
        return found[0];
    }

    private static boolean assignmentOperatorAt(String text, int i) {
        char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
        char previous = i > 0 ? text.charAt(i - 1) : 0;
        char beforePrevious = i > 1 ? text.charAt(i - 2) : 0;
        if (next == '=' || previous == '=' || previous == '!') {
            return false;
        }
        if (previous == '<' || previous == '>') {
            return beforePrevious == previous; // <<= >>= >>>= assign; <= >= compare
        }
        return true;
    }

    /** Told about each code character (not in a literal or comment) with the bracket depth before it. */
    private interface CodeCharacters {
        void at(int index, int depth);
    }

    private static End walk(String text, CodeCharacters code) {
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
                    if (code != null) {
                        code.at(i, depth);
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
