package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;

/**
 * One compression algorithm of OP_COMPRESSED. Both methods read {@code in}'s readable bytes
 * without moving its readerIndex, append to {@code out}, and release nothing.
 */
interface CompressionCodec {

    /** Appends the compressed form of {@code in}. {@code zlibLevel} matters to zlib only. */
    void compress(ByteBuf in, ByteBuf out, int zlibLevel);

    /**
     * Appends exactly {@code uncompressedSize} decompressed bytes, never writing more, or throws a
     * fatal {@link WireProtocolException} (without requestId) when the data is corrupt or does not
     * decompress to exactly that size.
     */
    void decompress(ByteBuf in, ByteBuf out, int uncompressedSize);

    static WireProtocolException sizeMismatch(String name, long actual, int expected) {
        return WireProtocolException.fatal(name + ": decompressed size " + actual + " (expected: " + expected
                + ", uncompressedSize)");
    }
}
