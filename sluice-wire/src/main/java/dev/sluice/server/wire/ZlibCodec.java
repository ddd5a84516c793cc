package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;

import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Compressor id 2, zlib-wrapped deflate via java.util.zip. Inflation writes into a region of
 * exactly uncompressedSize bytes, so a zip bomb cannot make it allocate more; a size that deflate
 * cannot reach from the input (it expands at most 1032:1) is refused before allocating.
 */
final class ZlibCodec implements CompressionCodec {

    private static final long MAX_RATIO = 1032;

    @Override
    public void compress(ByteBuf in, ByteBuf out, int zlibLevel) {
        Deflater deflater = new Deflater(zlibLevel);
        try {
            deflater.setInput(in.nioBuffer(in.readerIndex(), in.readableBytes()));
            deflater.finish();
            while (!deflater.finished()) {
                ArrayRegion dst = ArrayRegion.writable(out, Math.max(64, in.readableBytes() / 2 + 64));
                dst.commit(out, deflater.deflate(dst.array(), dst.offset(), dst.length()));
            }
        } finally {
            deflater.end();
        }
    }

    @Override
    public void decompress(ByteBuf in, ByteBuf out, int uncompressedSize) {
        int compressedSize = in.readableBytes();
        if (uncompressedSize > compressedSize * MAX_RATIO + 1024) {
            throw WireProtocolException.fatal("zlib: uncompressedSize " + uncompressedSize + " cannot come from "
                    + compressedSize + " compressed bytes (deflate expands at most " + MAX_RATIO + ":1)");
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(in.nioBuffer(in.readerIndex(), compressedSize));
            ArrayRegion dst = ArrayRegion.writable(out, uncompressedSize);
            int total = 0;
            while (total < uncompressedSize) {
                int n = inflater.inflate(dst.array(), dst.offset() + total, uncompressedSize - total);
                if (n == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                total += n;
            }
            if (total < uncompressedSize) {
                throw CompressionCodec.sizeMismatch("zlib", total, uncompressedSize);
            }
            if (!inflater.finished()) {
                byte[] probe = new byte[1];
                if (inflater.inflate(probe) > 0) {
                    throw WireProtocolException.fatal("zlib: decompressed size exceeds " + uncompressedSize
                            + " (expected: " + uncompressedSize + ", uncompressedSize)");
                }
                if (!inflater.finished()) {
                    throw WireProtocolException.fatal("zlib: compressed stream is truncated");
                }
            }
            if (inflater.getRemaining() > 0) {
                throw WireProtocolException.fatal("zlib: " + inflater.getRemaining()
                        + " bytes after the end of the compressed stream (expected: 0)");
            }
            dst.commit(out, total);
        } catch (DataFormatException e) {
            throw WireProtocolException.fatal("zlib: invalid compressed data: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }
}
