package dev.pipescope.kernel;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import org.dflib.jjava.jupyter.kernel.ExpressionValue;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.KernelTimestamp;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.ReplyType;
import org.dflib.jjava.jupyter.messages.adapters.ExpressionValueAdapter;
import org.dflib.jjava.jupyter.messages.adapters.HeaderAdapter;
import org.dflib.jjava.jupyter.messages.adapters.HistoryEntryAdapter;
import org.dflib.jjava.jupyter.messages.adapters.HistoryRequestAdapter;
import org.dflib.jjava.jupyter.messages.adapters.KernelTimestampAdapter;
import org.dflib.jjava.jupyter.messages.adapters.MessageTypeAdapter;
import org.dflib.jjava.jupyter.messages.adapters.PublishStatusAdapter;
import org.dflib.jjava.jupyter.messages.adapters.ReplyTypeAdapter;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Jupyter messages as ZeroMQ frames (the wire protocol): {@code identities..., "<IDS|MSG>", signature, header,
 * parent_header, metadata, content, buffers...}, signed with the connection's HMAC key.
 *
 * <p>The kernel encodes and decodes messages itself rather than through jjava's sockets so that (1) a message is
 * encoded on the thread that publishes it and only bytes reach the thread that owns the socket, (2) a message
 * over {@link #maxMessageBytes()} becomes an {@link OutputTooLarge} error before it is built in memory, and
 * (3) the signature of every request is available to reject replays. The JSON mapping is jjava's (same Gson
 * adapters), so messages look exactly as before.
 */
final class WireCodec {

    /** Most bytes of JSON (header, content...) one message may carry: 32 MiB, far more than a notebook shows well. */
    static final long DEFAULT_MAX_MESSAGE_BYTES = 32L * 1024 * 1024;

    private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);
    private static final Type MAP = new TypeToken<Map<String, Object>>() { }.getType();

    private static final Gson REPLY_GSON = new GsonBuilder()
            .registerTypeAdapter(HistoryEntry.class, HistoryEntryAdapter.INSTANCE)
            .registerTypeAdapter(ExpressionValue.class, ExpressionValueAdapter.INSTANCE)
            .create();
    private static final Gson GSON = new GsonBuilder()
            .registerTypeAdapter(KernelTimestamp.class, KernelTimestampAdapter.INSTANCE)
            .registerTypeAdapter(Header.class, HeaderAdapter.INSTANCE)
            .registerTypeAdapter(MessageType.class, MessageTypeAdapter.INSTANCE)
            .registerTypeAdapter(PublishStatus.class, PublishStatusAdapter.INSTANCE)
            .registerTypeAdapter(HistoryRequest.class, HistoryRequestAdapter.INSTANCE)
            .registerTypeHierarchyAdapter(ReplyType.class, new ReplyTypeAdapter(REPLY_GSON))
            .create();

    private final HMACGenerator hmac;
    private final long maxMessageBytes;

    WireCodec(HMACGenerator hmac) {
        this(hmac, DEFAULT_MAX_MESSAGE_BYTES);
    }

    WireCodec(HMACGenerator hmac, long maxMessageBytes) {
        this.hmac = hmac;
        this.maxMessageBytes = maxMessageBytes;
    }

    long maxMessageBytes() {
        return maxMessageBytes;
    }

    /** True when messages are signed (the connection file has a key); without a key there is nothing to replay-check. */
    boolean signs() {
        return hmac != HMACGenerator.NO_AUTH_INSTANCE;
    }

    /**
     * The frames of {@code message}, signed.
     *
     * @throws OutputTooLarge if its header, parent header, metadata and content together exceed {@link #maxMessageBytes()}
     *                        bytes of JSON; nothing is then kept in memory beyond that limit
     */
    List<byte[]> encode(Message<?> message) {
        String type = message.getHeader().getType().getName();
        Budget budget = new Budget(maxMessageBytes);
        byte[] header = json(message.getHeader(), budget);
        byte[] parent = message.hasParentHeader() ? json(message.getParentHeader(), budget) : EMPTY_OBJECT;
        byte[] metadata = message.hasMetadata() ? json(message.getMetadata(), budget) : EMPTY_OBJECT;
        byte[] content = json(message.getContent(), budget);
        if (budget.exceeded()) {
            throw new OutputTooLarge(type, budget.total(), maxMessageBytes);
        }
        List<byte[]> frames = new ArrayList<>(message.getIdentities().size() + 7);
        frames.addAll(message.getIdentities());
        frames.add(DELIMITER);
        frames.add(hmac.calculateSignature(header, parent, metadata, content).getBytes(StandardCharsets.US_ASCII));
        frames.add(header);
        frames.add(parent);
        frames.add(metadata);
        frames.add(content);
        if (message.getBlobs() != null) {
            frames.addAll(message.getBlobs());
        }
        return frames;
    }

    /** A request as read off a socket, before it is trusted. */
    record Frames(List<byte[]> identities, String signature, byte[] header, byte[] parentHeader, byte[] metadata,
                  byte[] content, List<byte[]> buffers) {

        /** Splits the frames of one multipart message; throws {@link Rejected} when there is no delimiter or too few parts. */
        static Frames of(List<byte[]> parts) {
            int delimiter = -1;
            for (int i = 0; i < parts.size(); i++) {
                if (Arrays.equals(DELIMITER, parts.get(i))) {
                    delimiter = i;
                    break;
                }
            }
            if (delimiter < 0 || parts.size() < delimiter + 6) {
                throw new Rejected("malformed message (" + parts.size() + " frames, "
                        + (delimiter < 0 ? "no <IDS|MSG> delimiter" : "fewer than the 5 after the delimiter") + ")", null);
            }
            return new Frames(List.copyOf(parts.subList(0, delimiter)),
                    new String(parts.get(delimiter + 1), StandardCharsets.US_ASCII),
                    parts.get(delimiter + 2), parts.get(delimiter + 3), parts.get(delimiter + 4), parts.get(delimiter + 5),
                    List.copyOf(parts.subList(delimiter + 6, parts.size())));
        }

        /** "execute_request 3f2a..." from the (unverified) header, for log lines; never throws. */
        String describe() {
            try {
                JsonObject object = JsonParser.parseString(new String(header, StandardCharsets.UTF_8)).getAsJsonObject();
                return KernelLog.printable(text(object, "msg_type")) + " " + KernelLog.printable(text(object, "msg_id"));
            } catch (RuntimeException unreadable) {
                return "(unreadable header)";
            }
        }

        private static String text(JsonObject object, String key) {
            JsonElement value = object.get(key);
            return value != null && value.isJsonPrimitive() ? value.getAsString() : "?";
        }
    }

    /** Why a request was not accepted: a bad or missing signature, a replay, or frames that are no Jupyter message. */
    static final class Rejected extends RuntimeException {
        private final transient Frames frames;

        Rejected(String reason, Frames frames) {
            super(reason, null, false, false);
            this.frames = frames;
        }

        /** The rejected message's type and id (from its unverified header), or null when the frames did not split. */
        String describeMessage() {
            return frames == null ? null : frames.describe();
        }
    }

    /** True when {@code frames} carry the signature this connection's key gives them. */
    boolean signatureValid(Frames frames) {
        String expected = hmac.calculateSignature(frames.header(), frames.parentHeader(), frames.metadata(), frames.content());
        // constant time: the comparison must not tell an attacker how much of a forged signature was right
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                frames.signature().getBytes(StandardCharsets.US_ASCII));
    }

    /** The message in verified frames. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Message<?> decode(Frames frames) {
        try {
            Header<?> header = GSON.fromJson(utf8(frames.header()), Header.class);
            if (header == null || header.getType() == null) {
                throw new Rejected("a header without msg_type", frames);
            }
            Header<?> parent = null;
            JsonElement parentJson = JsonParser.parseString(utf8(frames.parentHeader()));
            if (parentJson.isJsonObject() && !parentJson.getAsJsonObject().isEmpty()) {
                parent = GSON.fromJson(parentJson, Header.class);
            }
            Map<String, Object> metadata = GSON.fromJson(utf8(frames.metadata()), MAP);
            JsonElement contentJson = JsonParser.parseString(utf8(frames.content()));
            if (header.getType() == MessageType.HISTORY_REQUEST && contentJson.isJsonObject()) {
                contentJson = HistoryRequestHandler.withExplicitLimit(contentJson.getAsJsonObject());
            }
            Object content = GSON.fromJson(contentJson, header.getType().getContentType());
            return new Message(frames.identities(), header, parent, metadata, content, frames.buffers());
        } catch (JsonParseException | IllegalStateException | IllegalArgumentException | ClassCastException e) {
            throw new Rejected("unreadable JSON (" + KernelLog.printable(e.getMessage()) + ")", frames);
        }
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] json(Object value, Budget budget) {
        LimitedBytes bytes = new LimitedBytes(budget);
        try (Writer writer = new ChunkedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8))) {
            GSON.toJson(value, writer);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Hands long strings to the encoder in pieces: Gson writes a string without escapes in one call, and the
     * encoder copies the whole of it into a char array first (400 MB for a 200-million-character result).
     */
    private static final class ChunkedWriter extends Writer {
        private static final int CHUNK = 8192;
        private final Writer out;

        ChunkedWriter(Writer out) {
            this.out = out;
        }

        @Override
        public void write(String text, int off, int len) throws IOException {
            for (int end = off + len; off < end; off += CHUNK) {
                out.write(text, off, Math.min(CHUNK, end - off));
            }
        }

        @Override
        public void write(char[] chars, int off, int len) throws IOException {
            for (int end = off + len; off < end; off += CHUNK) {
                out.write(chars, off, Math.min(CHUNK, end - off));
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** The bytes left for one message; what goes over it is counted (to say how big it was), not kept. */
    private static final class Budget {
        private final long limit;
        private long total;

        Budget(long limit) {
            this.limit = limit;
        }

        boolean exceeded() {
            return total > limit;
        }

        long total() {
            return total;
        }
    }

    /** A byte buffer that stops storing once the message's budget is spent but keeps counting. */
    private static final class LimitedBytes extends OutputStream {
        private final Budget budget;
        private byte[] buffer = new byte[256];
        private int count;

        LimitedBytes(Budget budget) {
            this.budget = budget;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int off, int len) {
            budget.total += len;
            if (budget.exceeded()) {
                return;
            }
            if (count + len > buffer.length) {
                long wanted = Math.max((long) count + len, Math.min(2L * buffer.length, budget.limit));
                buffer = Arrays.copyOf(buffer, (int) Math.min(wanted, Integer.MAX_VALUE - 8));
            }
            System.arraycopy(bytes, off, buffer, count, len);
            count += len;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buffer, count);
        }
    }
}
