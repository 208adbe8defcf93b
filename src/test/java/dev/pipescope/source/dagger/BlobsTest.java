package dev.pipescope.source.dagger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStream;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.source.dagger.Blobs.Layers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BlobsTest {
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final byte[] JSON = "{\"a\":[1,2,3],\"b\":{\"c\":null}}".getBytes(StandardCharsets.UTF_8);

    /** A frame without a declared content size, as a streaming encoder writes. */
    private static byte[] streamed(byte[] raw) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var z = new ZstdOutputStream(out, 3)) {
            z.write(raw);
        }
        assertTrue(Zstd.getFrameContentSize(out.toByteArray()) < 0);
        return out.toByteArray();
    }

    private static Blobs.Decoded<Object> readTree(byte[] blob, Layers layers, long max) {
        return Blobs.readJson(blob, layers, max, "test blob", p -> PLAIN.readTree(p));
    }

    @Test
    void nestedLayersAreUnwrappedWhileTheMagicIsThereSizedOrStreamed() throws IOException {
        var expected = PLAIN.readTree(JSON);
        assertEquals(expected, readTree(JSON, Layers.NESTED, 1000).value());
        assertEquals(expected, readTree(Zstd.compress(JSON, 3), Layers.NESTED, 1000).value());
        assertEquals(expected, readTree(Zstd.compress(Zstd.compress(JSON, 3), 3), Layers.NESTED, 1000).value());
        var mixed = readTree(Zstd.compress(streamed(JSON), 3), Layers.NESTED, 1000);
        assertEquals(expected, mixed.value());
        assertEquals(JSON.length, mixed.rawBytes());
        assertEquals(expected, readTree(streamed(streamed(JSON)), Layers.NESTED, 1000).value());
    }

    @Test
    void tooManyLayersAreRefused() {
        byte[] blob = JSON;
        for (int i = 0; i <= Blobs.MAX_LAYERS; i++) {
            blob = Zstd.compress(blob, 3);
        }
        byte[] deep = blob;
        var error = assertThrows(CorruptDataException.class, () -> readTree(deep, Layers.NESTED, 1000));
        assertTrue(error.getMessage().startsWith("test blob: more than 4 nested zstd frames"), error.getMessage());
    }

    @Test
    void theDecodedSizeIsBoundedOnBothPaths() throws IOException {
        byte[] big = ("[\"" + "x".repeat(50_000) + "\"]").getBytes(StandardCharsets.UTF_8);
        for (byte[] blob : new byte[][] {Zstd.compress(big, 3), streamed(big)}) {
            var error = assertThrows(CorruptDataException.class, () -> readTree(blob, Layers.ONE, 10_000));
            assertEquals("test blob: decoded payload is larger than the limit of 10000 bytes", error.getMessage());
            assertEquals(big.length, readTree(blob, Layers.ONE, big.length).rawBytes());
        }
    }

    @Test
    void oneLayerMeansExactlyOneFrame() {
        var error = assertThrows(CorruptDataException.class, () -> Blobs.decompress(JSON, 1000, "state"));
        assertEquals("state: not zstd data: it starts with 7b226122 instead of the zstd magic 28b52ffd", error.getMessage());
        var empty = assertThrows(CorruptDataException.class, () -> Blobs.decompress(new byte[0], 1000, "state"));
        assertTrue(empty.getMessage().contains("nothing (0 bytes)"), empty.getMessage());
        byte[] inner = Zstd.compress(JSON, 3);
        assertArrayEquals(inner, Blobs.decompress(Zstd.compress(inner, 3), 1000, "state"));
    }

    @Test
    void brokenPayloadsSayWhatFailed() {
        byte[] truncatedJson = Zstd.compress("{\"a\":[1,2".getBytes(StandardCharsets.UTF_8), 3);
        assertTrue(assertThrows(CorruptDataException.class, () -> readTree(truncatedJson, Layers.ONE, 1000))
                .getMessage().startsWith("test blob: truncated JSON"));
        byte[] invalidJson = Zstd.compress("{\"a\":nope}".getBytes(StandardCharsets.UTF_8), 3);
        assertTrue(assertThrows(CorruptDataException.class, () -> readTree(invalidJson, Layers.ONE, 1000))
                .getMessage().startsWith("test blob: invalid JSON"));
        byte[] trailing = Zstd.compress("{} {}".getBytes(StandardCharsets.UTF_8), 3);
        assertTrue(assertThrows(CorruptDataException.class, () -> readTree(trailing, Layers.ONE, 1000))
                .getMessage().contains("unexpected content after the JSON value"));
        byte[] cut = java.util.Arrays.copyOf(Zstd.compress(JSON, 3), 12);
        assertTrue(assertThrows(CorruptDataException.class, () -> readTree(cut, Layers.ONE, 1000))
                .getMessage().startsWith("test blob: bad zstd frame"));
        assertTrue(assertThrows(CorruptDataException.class, () -> readTree(null, Layers.ONE, 1000))
                .getMessage().contains("NULL"));
    }

    @Test
    void writtenJsonDecodesWithAPlainReaderAndItsRawSizeIsCounted() throws IOException {
        var tree = PLAIN.readTree(JSON);
        var encoded = Blobs.writeJson(2, g -> PLAIN.writeTree(g, tree));
        assertEquals(JSON.length, encoded.rawBytes());
        byte[] once = Zstd.decompress(encoded.blob(), (int) Zstd.getFrameContentSize(encoded.blob()));
        byte[] twice = Zstd.decompress(once, (int) Zstd.getFrameContentSize(once));
        assertArrayEquals(JSON, twice);
    }

    @Test
    void jsonLargerThanTheBufferIsStreamedAndStillDecodes() throws IOException {
        var big = "y".repeat(Blobs.BUFFERED_MAX + 1000);
        var encoded = Blobs.writeJson(1, g -> g.writeString(big));
        assertEquals(big.length() + 2, encoded.rawBytes());
        try (var in = new com.github.luben.zstd.ZstdInputStream(new java.io.ByteArrayInputStream(encoded.blob()))) {
            assertEquals("\"" + big + "\"", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
