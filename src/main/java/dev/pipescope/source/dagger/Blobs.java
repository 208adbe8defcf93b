package dev.pipescope.source.dagger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.pipescope.error.CorruptDataException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.util.HexFormat;

/**
 * zstd blobs holding JSON, decoded as a stream and within a size limit, so a large or hostile
 * payload never has to fit in memory twice and a small one cannot expand without bound.
 *
 * <p>Every failure is a {@link CorruptDataException} that starts with the caller's {@code where}
 * ("execution_trees row 3 (dag 'nightly') in /data/cache.db") and says what failed: not zstd, a bad
 * zstd frame, invalid or truncated JSON, an unexpected structure, or the size limit.
 */
public final class Blobs {
    /** The level dagger compresses with. */
    public static final int ZSTD_LEVEL = 3;
    /** Default bound on a payload's decoded size. */
    public static final long DEFAULT_MAX_DECODED_BYTES = 512L << 20;
    /** Nested frames beyond this are refused: dagger nests at most two. */
    public static final int MAX_LAYERS = 4;
    /** Frames that declare a content size up to this are decoded in one call, which is faster for small blobs. */
    private static final int ONE_SHOT_MAX = 1 << 20;
    private static final byte[] MAGIC = {(byte) 0x28, (byte) 0xB5, (byte) 0x2F, (byte) 0xFD};

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    // snapshots can hold long strings; the decoded-size limit is what bounds them
                    .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                    .build())
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            // values are written one by one into a larger document; flushing after each only costs
            .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
            .build();
    /** Reads JSON with the settings above; immutable, so it can be shared. */
    public static final ObjectReader JSON_READER = MAPPER.reader();
    /** Writes compact JSON, as serde_json does; immutable, so it can be shared. */
    public static final ObjectWriter JSON_WRITER = MAPPER.writer();

    private Blobs() {}

    /** How many zstd frames wrap the JSON. */
    public enum Layers {
        /** Exactly one frame (trees, execution state). */
        ONE,
        /** Decompress while the bytes start with the zstd magic: zero or more frames (dagger's snapshots). */
        NESTED
    }

    /** Reads what it needs from a parser positioned before the first token. */
    @FunctionalInterface
    public interface JsonReading<T> {
        T read(JsonParser parser) throws IOException;
    }

    /** Writes one JSON document. */
    @FunctionalInterface
    public interface JsonWriting {
        void write(JsonGenerator generator) throws IOException;
    }

    /** A value read from a blob and the size of the JSON it was read from. */
    public record Decoded<T>(T value, long rawBytes) {}

    /** An encoded blob and the size of the JSON in it. */
    public record Encoded(byte[] blob, long rawBytes) {}

    /** The payload has a structure other than the one expected; message says which. */
    public static final class FormatProblem extends IOException {
        public FormatProblem(String message) {
            super(message);
        }
    }

    private static final class LimitExceeded extends IOException {
        LimitExceeded(long limit) {
            super("decoded payload is larger than the limit of " + limit + " bytes");
        }
    }

    /** True when the bytes start with the zstd frame magic {@code 28 B5 2F FD}. */
    public static boolean isZstd(byte[] bytes) {
        if (bytes == null || bytes.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** One zstd frame at level 3 (with the content size in its header, as dagger's encoder writes). */
    public static byte[] compress(byte[] raw) {
        return Zstd.compress(raw, ZSTD_LEVEL);
    }

    /** Decompresses exactly one frame layer into bytes, within {@code maxBytes}. */
    public static byte[] decompress(byte[] blob, long maxBytes, String where) {
        try {
            var opened = open(blob, Layers.ONE, maxBytes);
            return opened.bytes() != null ? opened.bytes() : opened.stream().readAllBytes();
        } catch (IOException | ZstdException e) {
            throw failure(where, e);
        }
    }

    /** Decodes the JSON in {@code blob} as a stream and hands the parser to {@code reading}. */
    public static <T> Decoded<T> readJson(byte[] blob, Layers layers, long maxBytes, String where,
                                          JsonReading<T> reading) {
        try {
            var opened = open(blob, layers, maxBytes);
            var bytes = opened.bytes();
            T value;
            // a payload already decoded into an array is parsed from it, which Jackson does fastest
            try (var parser = bytes != null ? JSON_READER.createParser(bytes) : JSON_READER.createParser(opened.stream())) {
                value = reading.read(parser);
                if (parser.nextToken() != null) {
                    throw new FormatProblem("unexpected content after the JSON value at byte "
                            + parser.currentLocation().getByteOffset());
                }
            }
            if (bytes != null) {
                return new Decoded<>(value, bytes.length);
            }
            // the rest (whitespace) still counts towards the raw size and must still decode
            opened.stream().transferTo(OutputStream.nullOutputStream());
            return new Decoded<>(value, opened.stream().count);
        } catch (IOException | ZstdException e) {
            throw failure(where, e);
        }
    }

    /**
     * Serialises JSON into zstd ({@code layers} frames deep). Up to {@value #BUFFERED_MAX} bytes of JSON
     * are compressed in one call, giving a frame that declares its size as dagger's do; beyond that the
     * JSON is streamed into the compressor, never held whole.
     */
    public static Encoded writeJson(int layers, JsonWriting writing) {
        if (layers < 1 || layers > MAX_LAYERS) {
            throw new IllegalArgumentException("layers must be 1.." + MAX_LAYERS + ", not " + layers);
        }
        var spilling = new SpillingOutputStream();
        byte[] blob;
        try {
            try (var generator = JSON_WRITER.createGenerator(spilling)) {
                writing.write(generator);
            }
            blob = spilling.finish();
        } catch (IOException e) {
            // only the generator can fail here; the target is memory
            throw new IllegalStateException("cannot serialise JSON: " + e.getMessage(), e);
        }
        for (int i = 1; i < layers; i++) {
            blob = compress(blob);
        }
        return new Encoded(blob, spilling.count);
    }

    /** JSON up to this size is compressed in one call. */
    static final int BUFFERED_MAX = 4 << 20;

    /** Buffers up to {@link #BUFFERED_MAX} bytes, then turns into a zstd stream. */
    private static final class SpillingOutputStream extends OutputStream {
        /** Exposes its array, so the JSON is compressed where it lies instead of copied first. */
        private static final class Buffer extends ByteArrayOutputStream {
            Buffer() {
                super(8192);
            }

            byte[] compressed() {
                var destination = new byte[(int) Zstd.compressBound(count)];
                long size = Zstd.compressByteArray(destination, 0, destination.length, buf, 0, count, ZSTD_LEVEL);
                if (Zstd.isError(size)) {
                    throw new IllegalStateException("zstd failed: " + Zstd.getErrorName(size));
                }
                return java.util.Arrays.copyOf(destination, (int) size);
            }
        }

        private Buffer buffer = new Buffer();
        private ByteArrayOutputStream spilled;
        private ZstdOutputStreamNoFinalizer zstd;
        long count;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            count += len;
            if (zstd == null && buffer.size() + len > BUFFERED_MAX) {
                spilled = new ByteArrayOutputStream();
                zstd = new ZstdOutputStreamNoFinalizer(spilled, RecyclingBufferPool.INSTANCE, ZSTD_LEVEL);
                buffer.writeTo(zstd);
                buffer = null;
            }
            if (zstd != null) {
                zstd.write(b, off, len);
            } else {
                buffer.write(b, off, len);
            }
        }

        /** The zstd frame of everything written. */
        byte[] finish() throws IOException {
            if (zstd == null) {
                return buffer.compressed();
            }
            zstd.close();
            return spilled.toByteArray();
        }
    }

    /** Decoded bytes: either all of them already (small frames), or a bounded stream that counts them. */
    private record Opened(byte[] bytes, Bounded stream) {}

    private static Opened open(byte[] blob, Layers layers, long maxBytes) throws IOException {
        if (blob == null) {
            throw new FormatProblem("payload is NULL");
        }
        if (layers == Layers.ONE && !isZstd(blob)) {
            throw new FormatProblem("not zstd data: it starts with " + firstBytes(blob)
                    + " instead of the zstd magic 28b52ffd");
        }
        byte[] current = blob;
        int depth = 0;
        // small frames that declare their size: one call each
        while (isZstd(current) && (layers == Layers.NESTED || depth == 0)) {
            long size = Zstd.getFrameContentSize(current);
            if (size < 0 || size > ONE_SHOT_MAX) {
                break;
            }
            if (size > maxBytes) {
                throw new LimitExceeded(maxBytes);
            }
            if (++depth > MAX_LAYERS) {
                throw new FormatProblem("more than " + MAX_LAYERS + " nested zstd frames");
            }
            current = Zstd.decompress(current, (int) size);
        }
        boolean more = isZstd(current) && (layers == Layers.NESTED || depth == 0);
        if (!more) {
            if (current.length > maxBytes) {
                throw new LimitExceeded(maxBytes);
            }
            return new Opened(current, null);
        }
        // the rest as streams, each bounded
        InputStream in = new ByteArrayInputStream(current);
        while (more) {
            var head = new PushbackInputStream(in, MAGIC.length);
            in = head;
            if (!startsWithMagic(head)) {
                break;
            }
            if (++depth > MAX_LAYERS) {
                throw new FormatProblem("more than " + MAX_LAYERS + " nested zstd frames");
            }
            in = new Bounded(new ZstdInputStreamNoFinalizer(head, RecyclingBufferPool.INSTANCE), maxBytes);
            more = layers == Layers.NESTED;
        }
        return new Opened(null, new Bounded(in, maxBytes));
    }

    private static CorruptDataException failure(String where, Exception e) {
        if (e instanceof LimitExceeded || e instanceof FormatProblem) {
            return new CorruptDataException(where + ": " + e.getMessage(), e);
        }
        if (e instanceof JsonEOFException eof) {
            return new CorruptDataException(where + ": truncated JSON (" + eof.getOriginalMessage() + ")", e);
        }
        if (e instanceof JsonProcessingException json) {
            return new CorruptDataException(where + ": invalid JSON (" + json.getOriginalMessage() + " at byte "
                    + (json.getLocation() == null ? "?" : json.getLocation().getByteOffset()) + ")", e);
        }
        return new CorruptDataException(where + ": bad zstd frame (" + e.getMessage() + ")", e);
    }

    private static boolean startsWithMagic(PushbackInputStream in) throws IOException {
        byte[] head = in.readNBytes(MAGIC.length);
        in.unread(head);
        return isZstd(head);
    }

    private static String firstBytes(byte[] blob) {
        int n = Math.min(blob.length, 4);
        return n == 0 ? "nothing (0 bytes)" : HexFormat.of().formatHex(blob, 0, n);
    }

    /** Counts what passes and refuses to pass more than the limit. */
    private static final class Bounded extends FilterInputStream {
        private final long limit;
        long count;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // through read(), so skipped bytes are counted and bounded too
            byte[] buffer = new byte[(int) Math.min(n, 8192)];
            long skipped = 0;
            while (skipped < n) {
                int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        private void add(int n) throws LimitExceeded {
            count += n;
            if (count > limit) {
                throw new LimitExceeded(limit);
            }
        }
    }

}
