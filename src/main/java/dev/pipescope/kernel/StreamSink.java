package dev.pipescope.kernel;

import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;

import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * A cell's standard output or error: the bytes go to {@link IOPubPublisher} "stream" messages for the request
 * that runs the cell, batched there by time and size. {@link #flush()} sends what was written without waiting for
 * the batch's interval (a prompt printed without a newline, a progress line).
 */
final class StreamSink extends OutputStream {

    private final IOPubPublisher iopub;
    private final MessageContext request;
    private final PublishStream.StreamType type;

    StreamSink(IOPubPublisher iopub, MessageContext request, PublishStream.StreamType type) {
        this.iopub = iopub;
        this.request = request;
        this.type = type;
    }

    @Override
    public void write(int b) throws InterruptedIOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws InterruptedIOException {
        iopub.writeStream(request, type, bytes, off, len);
    }

    @Override
    public void flush() {
        iopub.flushStreams();
    }
}
