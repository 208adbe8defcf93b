package dev.pipescope.kernel;

import org.dflib.jjava.jupyter.channels.IOPubChannel;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.zeromq.ZMQ;

import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The IOPub channel: a ZeroMQ PUB socket whose messages are all sent by one thread ("pipescope-iopub"), in the
 * order they were published, and none of them dropped.
 *
 * <p>Why it is built this way:
 * <ul>
 *   <li>A PUB socket silently drops what it cannot queue once a subscriber has its high-water mark of messages
 *       waiting: a cell printing 20,000 lines, one message each, lost half of them, and at 200,000 lines the idle
 *       status too. This socket is set to wait instead ({@code ZMQ_XPUB_NODROP}), so the sending thread keeps pace
 *       with the slowest connected client, and a cell that prints faster than that waits once
 *       {@link #QUEUE_LIMIT_BYTES} of its output wait in the kernel.</li>
 *   <li>Cell threads never touch the socket. An interrupted cell's thread is stopped wherever it is; when it wrote
 *       to the socket itself it could stop half way through a multipart message, after which the error and the idle
 *       status never reached the client. A cell thread now only appends bytes under a lock.</li>
 *   <li>Standard output and error are batched as ipykernel does: the bytes a cell prints go out as one "stream"
 *       message per {@link #FLUSH_INTERVAL_MS} ms or per {@link #BATCH_BYTES} bytes, whichever comes first, not one
 *       message per line. Any other message (a display, the result, the error, a status) first ends the batch
 *       before it, so the client sees everything in the order the cell produced it.</li>
 * </ul>
 */
final class IOPubPublisher extends IOPubChannel {

    /** Most stream text in one message. */
    static final int BATCH_BYTES = 64 * 1024;
    /** Longest a printed byte waits for more to join its message (ipykernel: 0.2 s). */
    static final long FLUSH_INTERVAL_MS = 200;
    /** Cell output (stream bytes, displays) waiting in the kernel beyond which a printing cell waits for the client. */
    static final long QUEUE_LIMIT_BYTES = 4L * 1024 * 1024;
    /** Messages ZeroMQ holds for one subscriber before the sending thread waits for it to read. */
    static final int SEND_HIGH_WATER_MARK = 64;
    /** What a stream message costs beyond its text (header, parent header, signature), for the queue limit. */
    private static final int ENVELOPE_BYTES = 512;
    /** A client that has not read IOPub for this long is reported in the kernel's log (once per stall). */
    private static final long STALL_REPORT_MS = 10_000;

    private final WireCodec codec;
    private final Object lock = new Object();
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private long queuedBytes;
    private long nextSeq = 1;
    /** The sequence number of the last message handed to ZeroMQ. */
    private long sentSeq;
    /** Stream batches up to this sequence number go out now, not at the end of their interval. */
    private long flushUpTo;
    private boolean closing;
    private boolean senderDone;
    private Thread sender;

    IOPubPublisher(ZMQ.Context context, HMACGenerator hmac) {
        super(context, hmac);
        this.codec = new WireCodec(hmac);
    }

    WireCodec codec() {
        return codec;
    }

    @Override
    public void bind(KernelConnectionProperties props) {
        setXpubNoDrop(true);
        setSndHWM(SEND_HIGH_WATER_MARK);
        // at shutdown, messages a client never read are given up after a second, as ipykernel's linger
        setLinger(1000);
        super.bind(props);
        sender = new Thread(this::sendAll, "pipescope-iopub");
        sender.setDaemon(true);
        sender.start();
    }

    // ---- publishing ----

    /**
     * Publishes a message without waiting (status, execute_input, results, errors, comm messages: the kernel's own).
     *
     * @throws OutputTooLarge when the message is over {@link WireCodec#maxMessageBytes()}
     */
    @Override
    public void sendMessage(Message<?> message) {
        List<byte[]> frames = codec.encode(message);
        synchronized (lock) {
            add(frames);
        }
    }

    /**
     * Publishes a message a cell produced (display_data, update_display_data, clear_output), waiting while
     * {@link #QUEUE_LIMIT_BYTES} of output wait for the client.
     *
     * @throws OutputTooLarge         when the message is over {@link WireCodec#maxMessageBytes()}
     * @throws InterruptedIOException when the cell is interrupted while it waits; the message is then not published
     */
    void publishOutput(Message<?> message) throws InterruptedIOException {
        List<byte[]> frames = codec.encode(message);
        synchronized (lock) {
            awaitRoom();
            add(frames);
        }
    }

    private void add(List<byte[]> frames) {
        long bytes = 0;
        for (byte[] frame : frames) {
            bytes += frame.length;
        }
        queue.addLast(new Encoded(frames, bytes, nextSeq++));
        queuedBytes += bytes;
        lock.notifyAll();
    }

    /**
     * Appends bytes a cell printed to the "stream" output named by {@code type}, for the request {@code parent}.
     * Waits while {@link #QUEUE_LIMIT_BYTES} of output wait for the client.
     *
     * @throws InterruptedIOException when the cell is interrupted while it waits; the bytes not yet appended are not printed
     */
    void writeStream(MessageContext parent, PublishStream.StreamType type, byte[] bytes, int off, int len)
            throws InterruptedIOException {
        synchronized (lock) {
            while (len > 0) {
                awaitRoom();
                if (closing) {
                    return;
                }
                StreamBatch batch = openBatch(parent, type);
                int n = Math.min(len, BATCH_BYTES - batch.count);
                // end the batch on a character boundary: take the continuation bytes of a started UTF-8 character
                while (n < len && (bytes[off + n] & 0xC0) == 0x80 && n < BATCH_BYTES - batch.count + 3) {
                    n++;
                }
                batch.append(bytes, off, n);
                queuedBytes += n;
                off += n;
                len -= n;
                if (batch.count >= BATCH_BYTES) {
                    lock.notifyAll();
                }
            }
        }
    }

    /** The batch at the end of the queue if it collects this stream for this request and has room, else a new one. */
    private StreamBatch openBatch(MessageContext parent, PublishStream.StreamType type) {
        Item last = queue.peekLast();
        if (last instanceof StreamBatch batch && batch.parent == parent && batch.type == type && batch.count < BATCH_BYTES) {
            return batch;
        }
        StreamBatch batch = new StreamBatch(parent, type, nextSeq++, System.nanoTime());
        queue.addLast(batch);
        queuedBytes += ENVELOPE_BYTES;
        lock.notifyAll();
        return batch;
    }

    /** Sends what was printed so far without waiting for its batch interval (an explicit flush, a prompt). */
    void flushStreams() {
        synchronized (lock) {
            flushUpTo = Math.max(flushUpTo, nextSeq - 1);
            lock.notifyAll();
        }
    }

    /**
     * Waits until every message published (and every byte printed) before this call has been handed to ZeroMQ, so
     * that a reply sent on another channel afterwards does not overtake the output it concludes. Logs to the kernel's
     * log when no client reads IOPub for {@value #STALL_REPORT_MS} ms, and goes on waiting.
     */
    void awaitSent() {
        synchronized (lock) {
            long target = nextSeq - 1;
            flushUpTo = Math.max(flushUpTo, target);
            lock.notifyAll();
            Stall stall = new Stall();
            while (sentSeq < target && !senderDone) {
                try {
                    lock.wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                stall.reportIfLong();
            }
        }
    }

    /** Reports in the kernel's log, once, that output has waited {@value #STALL_REPORT_MS} ms for a client. */
    private final class Stall {
        private final long since = System.nanoTime();
        private boolean reported;

        void reportIfLong() {
            if (!reported && System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(STALL_REPORT_MS)) {
                reported = true;
                KernelLog.warn("IOPub: a connected client has not read output for " + STALL_REPORT_MS / 1000 + " s; "
                        + queue.size() + " messages (" + queuedBytes + " bytes) wait for it in the kernel, none is dropped");
            }
        }
    }

    /** Output bytes waiting in the kernel; for tests. */
    long queuedBytes() {
        synchronized (lock) {
            return queuedBytes;
        }
    }

    private void awaitRoom() throws InterruptedIOException {
        Stall stall = null;
        while (queuedBytes >= QUEUE_LIMIT_BYTES && !closing && !senderDone) {
            if (stall == null) {
                stall = new Stall();
            }
            try {
                lock.wait(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while the client was reading earlier output");
            }
            stall.reportIfLong();
        }
    }

    // ---- the sending thread ----

    private sealed interface Item permits Encoded, StreamBatch {
    }

    private record Encoded(List<byte[]> frames, long bytes, long seq) implements Item {
    }

    /** Bytes of one stream of one request, open for more until it is full, due, or followed by another message. */
    private static final class StreamBatch implements Item {
        final MessageContext parent;
        final PublishStream.StreamType type;
        final long seq;
        long startNanos;
        byte[] bytes = new byte[256];
        int count;

        StreamBatch(MessageContext parent, PublishStream.StreamType type, long seq, long startNanos) {
            this.parent = parent;
            this.type = type;
            this.seq = seq;
            this.startNanos = startNanos;
        }

        void append(byte[] source, int off, int len) {
            if (count + len > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(count + len, Math.min(2 * bytes.length, BATCH_BYTES + 4)));
            }
            System.arraycopy(source, off, bytes, count, len);
            count += len;
        }

        /** Removes the first {@code n} bytes; the rest (an unfinished character) stays for the next message. */
        void dropFirst(int n) {
            System.arraycopy(bytes, n, bytes, 0, count - n);
            count -= n;
        }
    }

    /** What the sending thread took off the queue: frames to send, or stream text to encode first. */
    private record Outgoing(List<byte[]> frames, StreamBatch batch, String text, long bytes, long seq, boolean completes) {
    }

    private void sendAll() {
        try {
            Outgoing next;
            while ((next = take()) != null) {
                List<byte[]> frames = next.frames();
                if (frames == null) {
                    PublishStream stream = new PublishStream(next.batch().type, next.text());
                    frames = codec.encode(new Message<>(next.batch().parent, PublishStream.MESSAGE_TYPE, stream));
                }
                for (int i = 0; i < frames.size(); i++) {
                    // a blocking send: with NODROP it waits while a subscriber has SEND_HIGH_WATER_MARK messages unread
                    if (!send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0)) {
                        throw new IllegalStateException("ZeroMQ refused a frame of a blocking send (errno " + errno() + ")");
                    }
                }
                synchronized (lock) {
                    queuedBytes -= next.bytes();
                    if (next.completes()) {
                        sentSeq = next.seq();
                    }
                    lock.notifyAll();
                }
            }
        } catch (RuntimeException | Error e) {
            // the context was terminated at shutdown while a client was not reading; anything else is a bug to see
            boolean shuttingDown;
            synchronized (lock) {
                shuttingDown = closing;
            }
            if (!shuttingDown) {
                KernelLog.warn("IOPub: the sending thread stopped; no further output reaches clients", e);
            }
        } finally {
            synchronized (lock) {
                senderDone = true;
                lock.notifyAll();
            }
            super.close();
        }
    }

    /** The next message to send, waiting for one (or for a stream batch to be due); null once closed and drained. */
    private Outgoing take() {
        synchronized (lock) {
            while (true) {
                Item head = queue.peekFirst();
                if (head == null) {
                    if (closing) {
                        return null;
                    }
                    waitQuietly(0);
                    continue;
                }
                if (head instanceof Encoded encoded) {
                    queue.pollFirst();
                    return new Outgoing(encoded.frames(), null, null, encoded.bytes(), encoded.seq(), true);
                }
                StreamBatch batch = (StreamBatch) head;
                // ended: another message follows it, a flush asked for it, or the kernel is closing
                boolean ended = queue.size() > 1 || flushUpTo >= batch.seq || closing;
                long waited = System.nanoTime() - batch.startNanos;
                long interval = TimeUnit.MILLISECONDS.toNanos(FLUSH_INTERVAL_MS);
                if (!ended && batch.count < BATCH_BYTES && waited < interval) {
                    waitQuietly(Math.max(1, TimeUnit.NANOSECONDS.toMillis(interval - waited)));
                    continue;
                }
                int cut = ended ? batch.count : completeCharacters(batch.bytes, batch.count);
                if (cut == 0 && !ended) {
                    // only part of one character so far: it goes out with the rest of its bytes
                    batch.startNanos = System.nanoTime();
                    continue;
                }
                String text = new String(batch.bytes, 0, cut, StandardCharsets.UTF_8);
                boolean completes = cut == batch.count;
                if (completes) {
                    queue.pollFirst();
                } else {
                    batch.dropFirst(cut);
                    batch.startNanos = System.nanoTime();
                }
                return new Outgoing(null, batch, text, cut + (completes ? ENVELOPE_BYTES : 0), batch.seq, completes);
            }
        }
    }

    private void waitQuietly(long millis) {
        try {
            lock.wait(millis);
        } catch (InterruptedException e) {
            // only close() stops this thread, through the closing flag
            Thread.currentThread().interrupt();
            closing = true;
        }
    }

    /** How many of the first {@code count} bytes form whole UTF-8 characters (an unfinished last one is left out). */
    static int completeCharacters(byte[] bytes, int count) {
        int i = count - 1;
        int continuation = 0;
        while (i >= 0 && continuation < 3 && (bytes[i] & 0xC0) == 0x80) {
            i--;
            continuation++;
        }
        if (i < 0) {
            return count;
        }
        int lead = bytes[i] & 0xFF;
        int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return length > continuation + 1 ? i : count;
    }

    // ---- closing ----

    /** Sends what is queued (for at most a second), then closes the socket. */
    @Override
    public void close() {
        Thread thread;
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
            thread = sender;
        }
        if (thread == null) {
            super.close();
            return;
        }
        try {
            // a client that does not read keeps the thread in send(); terminating the context then ends it
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
