package dev.pipescope.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a magic's arguments into words as a POSIX shell does, so paths with spaces can be quoted or
 * escaped: {@code "my libs/*.jar"}, {@code 'my libs/*.jar'} or {@code my\ libs/*.jar}. Glob characters
 * stay in the words either way; the magic expands them.
 */
final class MagicArgs {

    private MagicArgs() {
    }

    /**
     * The words of {@code args}: whitespace separates them outside quotes; {@code '...'} keeps
     * everything; {@code "..."} keeps everything but {@code \"} and {@code \\}; outside quotes a
     * backslash keeps the next character. {@code a\ b "c d"} gives {@code [a b, c d]}.
     *
     * @throws MagicError when a quote is not closed
     */
    static List<String> words(String args) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        int n = args.length();
        while (i < n) {
            char c = args.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
                continue;
            }
            inWord = true;
            if (c == '\\' && i + 1 < n) {
                word.append(args.charAt(i + 1));
                i += 2;
            } else if (c == '\'' || c == '"') {
                int close = i + 1;
                while (close < n && args.charAt(close) != c) {
                    if (c == '"' && args.charAt(close) == '\\' && close + 1 < n
                            && (args.charAt(close + 1) == '"' || args.charAt(close + 1) == '\\')) {
                        close++;
                    }
                    word.append(args.charAt(close));
                    close++;
                }
                if (close >= n) {
                    throw new MagicError("unclosed " + c + " in '" + args + "': close it, or escape it with \\" + c);
                }
                i = close + 1;
            } else {
                word.append(c);
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
