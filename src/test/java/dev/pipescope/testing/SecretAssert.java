package dev.pipescope.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Asserts that a password shows nowhere: not in an error's message, its {@code toString()}, its causes or its trace. */
public final class SecretAssert {
    private SecretAssert() {
    }

    /** {@code text} (output, a rendering, a {@code toString()}) does not hold {@code secret}. */
    public static void assertHidden(String secret, String text) {
        assertFalse(text != null && text.contains(secret), "the password shows in: " + text);
    }

    /** Neither {@code error} nor any cause holds {@code secret} in its message, {@code toString()} or stack trace. */
    public static <T extends Throwable> T assertHidden(String secret, T error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            assertHidden(secret, t.getMessage());
            assertHidden(secret, t.toString());
        }
        var trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        assertHidden(secret, trace.toString());
        return error;
    }
}
