package dev.pipescope.kernel;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Collects a cell's output into whole lines before it goes to Jupyter: jjava's stream sends a
 * message for every print call, so {@code printf} alone produced several stream messages.
 */
final class LineBufferedOutput extends OutputStream {

    private final PrintStream target;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    LineBufferedOutput(PrintStream target) {
        this.target = target;
    }

    @Override
    public synchronized void write(int b) {
        pending.write(b);
        if (b == '\n' || b == '\r') {
            flush();
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int off, int len) {
        pending.write(bytes, off, len);
        for (int i = off + len - 1; i >= off; i--) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                flush();
                return;
            }
        }
        if (pending.size() > 64 * 1024) {
            flush();
        }
    }

    @Override
    public synchronized void flush() {
        if (pending.size() > 0) {
            target.write(pending.toByteArray(), 0, pending.size());
            pending.reset();
        }
        target.flush();
    }
}
