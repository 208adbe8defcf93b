package dev.pipescope.kernel;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

import java.io.InterruptedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IOPub channel over real ZeroMQ sockets (JeroMQ's SUB as the client). */
class IOPubPublisherTest {

    private static final String KEY = "5c1c9b8e-64a4-4a4e-9f0f-0d8f3c3c7a11";
    private static final long WAIT_MS = 60_000;

    private ZMQ.Context context;
    private IOPubPublisher iopub;
    private ZMQ.Socket subscriber;
    private final Message<ExecuteRequest> request = new Message<>(new Header<>("session", MessageType.EXECUTE_REQUEST),
            new ExecuteRequest("cell", false, true, Map.of(), false, true));

    /** A received message: its type and content. */
    private record Received(String type, JsonObject content) {
        String text() {
            return content.get("text").getAsString();
        }

        String stream() {
            return content.get("name").getAsString();
        }
    }

    @BeforeEach
    void connect() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        context = ZMQ.context(1);
        iopub = new IOPubPublisher(context, new HMACGenerator("hmac-sha256", KEY));
        iopub.bind(KernelConnectionProperties.parse("{\"transport\": \"tcp\", \"ip\": \"127.0.0.1\", \"iopub_port\": " + port
                + ", \"key\": \"" + KEY + "\", \"signature_scheme\": \"hmac-sha256\"}"));
        subscriber = context.socket(SocketType.SUB);
        subscriber.setReceiveTimeOut((int) WAIT_MS);
        subscriber.setRcvHWM(1);
        subscriber.setReceiveBufferSize(4096);
        subscriber.connect("tcp://127.0.0.1:" + port);
        subscriber.subscribe(new byte[0]);
        // a subscription takes effect some time after connect: publish until one message arrives
        subscriber.setReceiveTimeOut(50);
        long deadline = System.currentTimeMillis() + WAIT_MS;
        Received first = null;
        while (first == null && System.currentTimeMillis() < deadline) {
            iopub.sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
            first = receiveOrNull();
        }
        assertTrue(first != null, "the subscriber never got a message");
        subscriber.setReceiveTimeOut((int) WAIT_MS);
        // the other "starting" messages sent while waiting
        iopub.awaitSent();
        drainStatuses();
    }

    private void drainStatuses() {
        subscriber.setReceiveTimeOut(200);
        while (receiveOrNull() != null) {
            // only statuses were sent so far
        }
        subscriber.setReceiveTimeOut((int) WAIT_MS);
    }

    @AfterEach
    void close() {
        subscriber.close();
        iopub.close();
        context.close();
    }

    private Received receiveOrNull() {
        byte[] first = subscriber.recv(0);
        if (first == null) {
            return null;
        }
        List<byte[]> parts = new ArrayList<>();
        parts.add(first);
        while (subscriber.hasReceiveMore()) {
            parts.add(subscriber.recv(0));
        }
        WireCodec.Frames frames = WireCodec.Frames.of(parts);
        assertTrue(iopub.codec().signatureValid(frames), "a message with a bad signature");
        JsonObject header = JsonParser.parseString(new String(frames.header(), StandardCharsets.UTF_8)).getAsJsonObject();
        JsonObject content = JsonParser.parseString(new String(frames.content(), StandardCharsets.UTF_8)).getAsJsonObject();
        return new Received(header.get("msg_type").getAsString(), content);
    }

    private Received receive() {
        Received received = receiveOrNull();
        assertTrue(received != null, "no message within " + WAIT_MS + " ms");
        return received;
    }

    private void print(PublishStream.StreamType type, String text) throws InterruptedIOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        iopub.writeStream(request, type, bytes, 0, bytes.length);
    }

    @Test
    void everyPrintedLineArrivesInOrderInFewMessagesWhileTheClientIsSlow() throws Exception {
        // 20 MB: more than the kernel's queue, ZeroMQ's queue and the TCP buffers hold together
        int lines = 200_000;
        String padding = ".".repeat(90);
        CompletableFuture<Void> printing = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < lines; i++) {
                    print(PublishStream.StreamType.OUT, i + padding + "\n");
                }
                iopub.sendMessage(new Message<>(request, PublishStatus.MESSAGE_TYPE, PublishStatus.IDLE));
            } catch (InterruptedIOException e) {
                throw new IllegalStateException(e);
            }
        });
        // the client reads nothing until the printing thread has to wait for it
        awaitWaiting(printing);
        StringBuilder text = new StringBuilder();
        int messages = 0;
        while (true) {
            Received received = receive();
            if (received.type().equals("status")) {
                break;
            }
            assertEquals("stream", received.type());
            text.append(received.text());
            messages++;
        }
        printing.get(WAIT_MS, TimeUnit.MILLISECONDS);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            expected.append(i).append(padding).append('\n');
        }
        assertEquals(expected.toString(), text.toString());
        assertTrue(messages < lines / 100, messages + " stream messages for " + lines + " lines");
    }

    /** Waits until the printing has stopped for lack of room (its queue is full), or fails after WAIT_MS. */
    private void awaitWaiting(CompletableFuture<Void> printing) {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (iopub.queuedBytes() < IOPubPublisher.QUEUE_LIMIT_BYTES) {
            assertTrue(!printing.isDone(), "the printing ended without ever waiting for the client");
            assertTrue(System.currentTimeMillis() < deadline, "the output queue never filled");
            Thread.onSpinWait();
        }
    }

    @Test
    void standardOutputErrorAndDisplaysArriveInTheOrderTheCellMadeThem() throws Exception {
        print(PublishStream.StreamType.OUT, "first\n");
        print(PublishStream.StreamType.ERR, "second\n");
        iopub.publishOutput(new Message<>(request, PublishDisplayData.MESSAGE_TYPE, new PublishDisplayData(new DisplayData("third"))));
        print(PublishStream.StreamType.OUT, "fourth\n");
        print(PublishStream.StreamType.OUT, "fifth\n");
        iopub.awaitSent();
        Received one = receive();
        Received two = receive();
        Received three = receive();
        Received four = receive();
        assertEquals(List.of("stdout", "first\n"), List.of(one.stream(), one.text()));
        assertEquals(List.of("stderr", "second\n"), List.of(two.stream(), two.text()));
        assertEquals("display_data", three.type());
        assertEquals("third", three.content().getAsJsonObject("data").get("text/plain").getAsString());
        // what follows without another message in between is one batch
        assertEquals(List.of("stdout", "fourth\nfifth\n"), List.of(four.stream(), four.text()));
    }

    @Test
    void aCharacterWrittenInPiecesIsNotCutBetweenMessages() throws Exception {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        print(PublishStream.StreamType.OUT, "price: ");
        iopub.writeStream(request, PublishStream.StreamType.OUT, euro, 0, 1);
        // the batch interval ends with the character unfinished: what is complete goes, the started character waits
        assertEquals("price: ", receive().text());
        iopub.writeStream(request, PublishStream.StreamType.OUT, euro, 1, 2);
        print(PublishStream.StreamType.OUT, "5\n");
        iopub.awaitSent();
        assertEquals("€5\n", receive().text());
    }

    @Test
    void aPrintingThreadWaitingForTheClientStopsWhenInterrupted() throws Exception {
        Thread[] printer = new Thread[1];
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        printer[0] = new Thread(() -> {
            try {
                while (true) {
                    print(PublishStream.StreamType.OUT, "1\n");
                }
            } catch (Throwable t) {
                ended.complete(t);
            }
        });
        printer[0].start();
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (iopub.queuedBytes() < IOPubPublisher.QUEUE_LIMIT_BYTES || printer[0].getState() != Thread.State.TIMED_WAITING) {
            assertTrue(System.currentTimeMillis() < deadline, "the printing thread never waited for the client");
            Thread.onSpinWait();
        }
        printer[0].interrupt();
        assertInstanceOf(InterruptedIOException.class, ended.get(WAIT_MS, TimeUnit.MILLISECONDS));
    }
}
