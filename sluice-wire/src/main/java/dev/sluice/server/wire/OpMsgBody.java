package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;

/**
 * Finds the body section (kind 0) of an OP_MSG frame in place, skipping document sequences, for the
 * readers that look at a field or two without parsing the message ({@link CommandName}, the router's
 * reply inspection). Lengths are checked against the frame; anything malformed is "not found".
 */
public final class OpMsgBody {
    private OpMsgBody() {
    }

    /**
     * The absolute index of the body document of the OP_MSG frame at {@code frame.readerIndex()}
     * (its messageLength and the frame's bytes both bound the search), or -1. The document's
     * int32 length at that index is at least 5 and within the message.
     */
    public static int indexOf(ByteBuf frame) {
        int start = frame.readerIndex();
        if (frame.writerIndex() - start < OpMsg.SECTIONS_OFFSET) {
            return -1;
        }
        int end = start + Math.min(frame.getIntLE(start), frame.writerIndex() - start);
        int index = start + OpMsg.SECTIONS_OFFSET;
        while (index < end) {
            int kind = frame.getUnsignedByte(index++);
            if (end - index < 4) {
                return -1;
            }
            int length = frame.getIntLE(index);
            if (length < WireBson.MIN_DOCUMENT_LENGTH || length > end - index) {
                return -1;
            }
            if (kind == 0) {
                return index;
            }
            if (kind != 1) {
                return -1;
            }
            index += length;
        }
        return -1;
    }

    /** The body document of the OP_MSG frame as a view (no copy), or null when there is none. */
    public static ByteBuffer nioOf(ByteBuf frame) {
        int index = indexOf(frame);
        return index < 0 ? null : frame.nioBuffer(index, frame.getIntLE(index));
    }
}
