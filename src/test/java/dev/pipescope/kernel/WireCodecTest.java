package dev.pipescope.kernel;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WireCodecTest {

    private static final String KEY = "a0436f6c-1916-498b-8eb9-e81ab9368e84";

    private static WireCodec codec() throws Exception {
        return new WireCodec(new HMACGenerator("hmac-sha256", KEY));
    }

    private static Message<ExecuteRequest> executeRequest(String code) {
        return new Message<>(new Header<>("session-1", MessageType.EXECUTE_REQUEST),
                new ExecuteRequest(code, false, true, Map.of(), false, true));
    }

    /** The frames as a client sends them: a client's identity first. */
    private static List<byte[]> fromClient(List<byte[]> frames) {
        List<byte[]> parts = new ArrayList<>();
        parts.add("client-identity".getBytes(StandardCharsets.US_ASCII));
        parts.addAll(frames);
        return parts;
    }

    @Test
    void aSignedRequestDecodesToTheSameContent() throws Exception {
        WireCodec codec = codec();
        WireCodec.Frames frames = WireCodec.Frames.of(fromClient(codec.encode(executeRequest("int x = 1;"))));
        assertTrue(codec.signatureValid(frames));
        Message<?> decoded = codec.decode(frames);
        assertEquals(MessageType.EXECUTE_REQUEST, decoded.getHeader().getType());
        assertEquals("int x = 1;", ((ExecuteRequest) decoded.getContent()).getCode());
        assertEquals("client-identity", new String(decoded.getIdentities().get(0), StandardCharsets.US_ASCII));
    }

    @Test
    void changedContentOrAnotherKeyFailsTheSignature() throws Exception {
        WireCodec codec = codec();
        List<byte[]> parts = fromClient(codec.encode(executeRequest("int x = 1;")));
        int content = parts.size() - 1;
        parts.set(content, new String(parts.get(content), StandardCharsets.UTF_8).replace("int x", "INT x").getBytes(StandardCharsets.UTF_8));
        assertFalse(codec.signatureValid(WireCodec.Frames.of(parts)));
        WireCodec forger = new WireCodec(new HMACGenerator("hmac-sha256", "another-key"));
        assertFalse(codec.signatureValid(WireCodec.Frames.of(fromClient(forger.encode(executeRequest("1"))))));
    }

    @Test
    void framesWithoutTheDelimiterAreRejectedWithTheReason() {
        WireCodec.Rejected rejected = assertThrows(WireCodec.Rejected.class,
                () -> WireCodec.Frames.of(List.of("just one frame".getBytes(StandardCharsets.UTF_8))));
        assertTrue(rejected.getMessage().contains("no <IDS|MSG> delimiter"), rejected.getMessage());
    }

    @Test
    void aMessageOverTheLimitIsAnErrorStatingItsSizeAndTheLimit() throws Exception {
        WireCodec codec = new WireCodec(new HMACGenerator("hmac-sha256", KEY), 1_000_000);
        DisplayData data = new DisplayData("x".repeat(3_000_000));
        Message<PublishExecuteResult> result = new Message<>(executeRequest("big"), PublishExecuteResult.MESSAGE_TYPE,
                new PublishExecuteResult(1, data));
        OutputTooLarge tooLarge = assertThrows(OutputTooLarge.class, () -> codec.encode(result));
        assertEquals("execute_result", tooLarge.messageType());
        assertEquals(1_000_000, tooLarge.limit());
        // the whole text was counted, not just what fits: its size is above the text alone
        assertTrue(tooLarge.bytes() > 3_000_000 && tooLarge.bytes() < 3_002_000, String.valueOf(tooLarge.bytes()));
        assertTrue(tooLarge.getMessage().contains(String.format("%,d bytes", tooLarge.bytes())), tooLarge.getMessage());
        assertTrue(tooLarge.getMessage().contains("1,000,000 bytes"), tooLarge.getMessage());
        // one just under the limit goes
        data = new DisplayData("x".repeat(990_000));
        assertEquals(6, codec.encode(new Message<>(executeRequest("fits"), PublishExecuteResult.MESSAGE_TYPE,
                new PublishExecuteResult(2, data))).size());
    }

    @Test
    void multibyteTextSplitAcrossWritesStaysIntact() throws Exception {
        WireCodec codec = codec();
        String text = "é€😀".repeat(10_000);
        List<byte[]> frames = fromClient(codec.encode(executeRequest(text)));
        Message<?> decoded = codec.decode(WireCodec.Frames.of(frames));
        assertEquals(text, ((ExecuteRequest) decoded.getContent()).getCode());
    }

    @Test
    void aHistoryRequestWithoutNHasNoLimit() throws Exception {
        WireCodec codec = codec();
        Message<HistoryRequest> search = new Message<>(new Header<>("session-1", MessageType.HISTORY_REQUEST),
                new HistoryRequest.Search(false, true, 0, "int*", false));
        List<byte[]> frames = fromClient(codec.encode(search));
        // as jupyter_client sends it when the caller gives no n: the key is absent
        int content = frames.size() - 1;
        JsonObject json = JsonParser.parseString(new String(frames.get(content), StandardCharsets.UTF_8)).getAsJsonObject();
        assertTrue(json.remove("n") != null, json.toString());
        frames.set(content, json.toString().getBytes(StandardCharsets.UTF_8));
        HistoryRequest.Search decoded = (HistoryRequest.Search) codec.decode(WireCodec.Frames.of(frames)).getContent();
        assertEquals(HistoryRequestHandler.NO_LIMIT, decoded.getMaxReturnLength());
        assertEquals("int*", decoded.getPattern());
        // an explicit n is kept
        decoded = (HistoryRequest.Search) codec.decode(WireCodec.Frames.of(fromClient(codec.encode(
                new Message<>(new Header<>("s", MessageType.HISTORY_REQUEST), new HistoryRequest.Search(false, true, 3, "*", false)))))).getContent();
        assertEquals(3, decoded.getMaxReturnLength());
    }
}
