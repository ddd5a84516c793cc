package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * A region of a byte[] standing for some bytes of a {@link ByteBuf}, for the JNI and
 * java.util.zip compressors that work on arrays: the buffer's own array when it has one, a copy
 * otherwise.
 */
record ArrayRegion(byte[] array, int offset, int length) {

    /** The readable bytes of {@code in} (not consumed). */
    static ArrayRegion readable(ByteBuf in) {
        int length = in.readableBytes();
        if (in.hasArray()) {
            return new ArrayRegion(in.array(), in.arrayOffset() + in.readerIndex(), length);
        }
        return new ArrayRegion(ByteBufUtil.getBytes(in, in.readerIndex(), length, false), 0, length);
    }

    /** Room for {@code length} bytes at {@code out}'s writerIndex; follow with {@link #commit}. */
    static ArrayRegion writable(ByteBuf out, int length) {
        out.ensureWritable(length);
        if (out.hasArray()) {
            return new ArrayRegion(out.array(), out.arrayOffset() + out.writerIndex(), length);
        }
        return new ArrayRegion(new byte[length], 0, length);
    }

    /** Marks the first {@code written} bytes of this writable region as written to {@code out}. */
    void commit(ByteBuf out, int written) {
        if (out.hasArray() && out.array() == array) {
            out.writerIndex(out.writerIndex() + written);
        } else {
            out.writeBytes(array, offset, written);
        }
    }
}
