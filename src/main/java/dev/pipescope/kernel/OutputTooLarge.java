package dev.pipescope.kernel;

import java.util.List;
import java.util.Locale;

/**
 * A message the kernel would send is larger than it sends in one piece ({@link WireCodec#DEFAULT_MAX_MESSAGE_BYTES}).
 * The cell's result or display is reported as this error instead of being built in memory, and the kernel goes on.
 */
public final class OutputTooLarge extends CellError {

    private final String messageType;
    private final long bytes;
    private final long limit;

    OutputTooLarge(String messageType, long bytes, long limit) {
        super(describe(messageType, bytes, limit), List.of("OutputTooLarge: " + describe(messageType, bytes, limit)));
        this.messageType = messageType;
        this.bytes = bytes;
        this.limit = limit;
    }

    private static String describe(String messageType, long bytes, long limit) {
        String size = String.format(Locale.ROOT, "its %s message would be %,d bytes, over the kernel's limit of %,d bytes"
                + " (%d MiB) per message", messageType, bytes, limit, limit / (1024 * 1024));
        return switch (messageType) {
            case "execute_result" -> "the cell's result is too large to send: " + size
                    + "; keep the value in a variable and show a part of it";
            case "display_data", "update_display_data" -> "the displayed value is too large to send: " + size
                    + "; show a part of it";
            case "error" -> "the cell's error is too large to send: " + size + "; its message and trace are left out";
            default -> "a " + messageType + " too large to send: " + size;
        };
    }

    /** The Jupyter message type that was too large, e.g. "execute_result". */
    public String messageType() {
        return messageType;
    }

    /** The size the message would have had, in bytes of JSON. */
    public long bytes() {
        return bytes;
    }

    /** The most bytes the kernel sends in one message. */
    public long limit() {
        return limit;
    }
}
