package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Splits the inbound byte stream into MongoDB wire messages.
 *
 * <p>As soon as the 4 bytes of {@code messageLength} are readable it checks
 * {@code 16 <= messageLength <= maxMessageSizeBytes}, before waiting for (or buffering) the body,
 * so a peer announcing a huge message costs nothing. Each complete message is passed on as one
 * {@link ByteBuf}: a retained slice holding the whole frame, header included, which the next
 * handler owns and must release. The opcode is not checked here (see {@link OpCode#fromCode}).
 *
 * <p>On a bad length it throws a fatal {@link WireProtocolException} and from then on discards
 * all input: the stream cannot be resynchronised and the connection is to be closed.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

    /** The default limit of the proxy: the 48,000,000 bytes that mongod announces. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE_BYTES = 48_000_000;

    private final int maxMessageSizeBytes;
    private boolean failed;

    /** A decoder accepting messages of at most {@value #DEFAULT_MAX_MESSAGE_SIZE_BYTES} bytes. */
    public FrameDecoder() {
        this(DEFAULT_MAX_MESSAGE_SIZE_BYTES);
    }

    /** A decoder accepting messages of at most {@code maxMessageSizeBytes} bytes (>= 16). */
    public FrameDecoder(int maxMessageSizeBytes) {
        if (maxMessageSizeBytes < MessageHeader.LENGTH) {
            throw new IllegalArgumentException(
                    "maxMessageSizeBytes: " + maxMessageSizeBytes + " (expected: >= " + MessageHeader.LENGTH + ")");
        }
        this.maxMessageSizeBytes = maxMessageSizeBytes;
    }

    public int maxMessageSizeBytes() {
        return maxMessageSizeBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int readable = in.readableBytes();
        if (readable < 4) {
            return;
        }
        int start = in.readerIndex();
        int messageLength = in.getIntLE(start);
        if (messageLength < MessageHeader.LENGTH || messageLength > maxMessageSizeBytes) {
            failed = true;
            boolean requestIdKnown = readable >= 8;
            int requestId = requestIdKnown ? in.getIntLE(start + MessageHeader.REQUEST_ID_OFFSET) : 0;
            in.skipBytes(readable);
            String message = messageLength < MessageHeader.LENGTH
                    ? "messageLength: " + messageLength + " (expected: >= " + MessageHeader.LENGTH + ")"
                    : "messageLength: " + messageLength + " (expected: <= " + maxMessageSizeBytes
                            + ", maxMessageSizeBytes)";
            throw requestIdKnown
                    ? WireProtocolException.fatal(requestId, message)
                    : WireProtocolException.fatal(message);
        }
        if (readable < messageLength) {
            return;
        }
        out.add(in.readRetainedSlice(messageLength));
    }
}
