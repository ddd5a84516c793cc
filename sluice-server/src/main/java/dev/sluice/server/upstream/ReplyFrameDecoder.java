package dev.sluice.server.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

import java.nio.ByteOrder;

/**
 * Splits an upstream connection's byte stream into reply frames (header included) of at most
 * maxUpstreamReplyBytes. The limit is checked on the declared {@code messageLength}, before the body
 * is buffered (fail-fast): a larger reply raises {@link io.netty.handler.codec.TooLongFrameException}
 * at once and its bytes are discarded, never held. {@link #lastDeclaredLength()} tells how large it
 * said it was.
 */
final class ReplyFrameDecoder extends LengthFieldBasedFrameDecoder {
    private final int maxUpstreamReplyBytes;
    private long lastDeclaredLength;

    ReplyFrameDecoder(int maxUpstreamReplyBytes) {
        // messageLength is the first int32 (little-endian) and counts itself: adjustment -4
        super(ByteOrder.LITTLE_ENDIAN, maxUpstreamReplyBytes, 0, 4, -4, 0, true);
        this.maxUpstreamReplyBytes = maxUpstreamReplyBytes;
    }

    int maxUpstreamReplyBytes() {
        return maxUpstreamReplyBytes;
    }

    /** The messageLength of the last frame header read (the refused one after a too-long frame). */
    long lastDeclaredLength() {
        return lastDeclaredLength;
    }

    @Override
    protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
        // messageLength read as little-endian in place: the superclass would wrap the buffer (buf.order(LE)), an
        // object per frame
        lastDeclaredLength = buf.getUnsignedIntLE(offset);
        return lastDeclaredLength;
    }
}
