package dev.pipescope.kernel;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One-line notices about the kernel itself (rejected messages, stalled clients) on the process's standard error,
 * which Jupyter servers keep in their log. Written to the file descriptor, not {@code System.err}: while a cell
 * runs, {@code System.err} is the cell's stream and the notice would land in the notebook.
 */
final class KernelLog {

    private static final PrintStream STDERR = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

    private KernelLog() {
    }

    static void warn(String line) {
        STDERR.println("[pipescope-kernel] " + line);
    }

    /** A notice with the stack trace of what went wrong in the kernel itself (a bug to see, not a cell's error). */
    static void warn(String line, Throwable failure) {
        synchronized (STDERR) {
            warn(line + ": " + failure);
            for (StackTraceElement frame : failure.getStackTrace()) {
                STDERR.println("\tat " + frame);
            }
        }
    }

    /** Text from a client made safe for one log line: control characters replaced, at most 120 characters. */
    static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), 121));
        for (int i = 0; i < text.length() && out.length() < 120; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        if (text.length() > 120) {
            out.append('…');
        }
        return out.toString();
    }
}
