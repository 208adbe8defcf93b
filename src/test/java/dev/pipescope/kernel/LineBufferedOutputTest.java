package dev.pipescope.kernel;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LineBufferedOutputTest {

    /** Records what reaches the Jupyter stream at each flush, as jjava sends one message per flush. */
    private static final class Messages extends OutputStream {
        final List<String> sent = new ArrayList<>();
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            pending.write(b);
        }

        @Override
        public void flush() {
            if (pending.size() > 0) {
                sent.add(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
            }
        }
    }

    @Test
    void printfPiecesBecomeOneMessagePerLine() {
        Messages messages = new Messages();
        PrintStream cell = new PrintStream(new LineBufferedOutput(new PrintStream(messages, false, StandardCharsets.UTF_8)),
                false, StandardCharsets.UTF_8);
        cell.printf("Wall time: %.1f ms%n", 12.5);
        cell.print("partial");
        assertEquals(List.of("Wall time: 12.5 ms" + System.lineSeparator()), messages.sent);
        cell.flush();
        assertEquals("partial", messages.sent.get(1));
    }
}
