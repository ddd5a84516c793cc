package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The optional CRC-32C of an OP_MSG: it covers every byte of the message, header included,
 * except the 4 trailing bytes that hold it.
 */
final class OpMsgChecksum {

    private OpMsgChecksum() {
    }

    /** CRC-32C of {@code buf[index, index + length)}. */
    static int compute(ByteBuf buf, int index, int length) {
        CRC32C crc = new CRC32C();
        if (buf.nioBufferCount() == 1) {
            crc.update(buf.nioBuffer(index, length));
        } else {
            for (ByteBuffer part : buf.nioBuffers(index, length)) {
                crc.update(part);
            }
        }
        return (int) crc.getValue();
    }

    /** Recomputes the checksum of the frame at {@code frame.readerIndex()} in place. */
    static void update(ByteBuf frame) {
        int start = frame.readerIndex();
        int length = frame.getIntLE(start);
        if (length != frame.readableBytes() || length < OpMsg.MIN_LENGTH + 4) {
            throw new IllegalArgumentException("messageLength: " + length + " (expected: "
                    + frame.readableBytes() + ", the frame's readable bytes, and >= " + (OpMsg.MIN_LENGTH + 4) + ")");
        }
        frame.setIntLE(start + length - 4, compute(frame, start, length - 4));
    }
}
