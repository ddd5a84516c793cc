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
        ensureWritable(out, length);
        if (out.hasArray()) {
            return new ArrayRegion(out.array(), out.arrayOffset() + out.writerIndex(), length);
        }
        return new ArrayRegion(new byte[length], 0, length);
    }

    /**
     * {@link ByteBuf#ensureWritable(int)}, growing with {@link ByteBuf#capacity(int)} itself: on Netty 4.2.2's
     * default (adaptive) allocator, ensureWritable on a buffer with a maxCapacity and bytes already written
     * asks for more than maxCapacity and throws IllegalArgumentException ("newCapacity: 324 (expected:
     * 0-308)"), which broke every compressed message over 240 bytes (netty/netty#15373).
     */
    static void ensureWritable(ByteBuf out, int length) {
        if (out.writableBytes() >= length) {
            return;
        }
        long needed = (long) out.writerIndex() + length;
        if (needed > out.maxCapacity()) {
            out.ensureWritable(length); // throws IndexOutOfBoundsException, as ByteBuf documents
            return;
        }
        out.capacity((int) Math.min(out.maxCapacity(), Math.max(needed, 2L * out.capacity())));
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
