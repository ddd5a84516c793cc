package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import org.xerial.snappy.Snappy;

import java.io.IOException;

/**
 * Compressor id 1, raw snappy blocks via snappy-java. The block's own length header is checked
 * against uncompressedSize before anything is allocated or decompressed (the native call writes
 * that many bytes, so it must fit).
 */
final class SnappyCodec implements CompressionCodec {

    @Override
    public void compress(ByteBuf in, ByteBuf out, int zlibLevel) {
        ArrayRegion src = ArrayRegion.readable(in);
        ArrayRegion dst = ArrayRegion.writable(out, Snappy.maxCompressedLength(src.length()));
        try {
            int written = Snappy.rawCompress(src.array(), src.offset(), src.length(), dst.array(), dst.offset());
            dst.commit(out, written);
        } catch (IOException e) {
            throw new IllegalStateException("snappy compression failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void decompress(ByteBuf in, ByteBuf out, int uncompressedSize) {
        ArrayRegion src = ArrayRegion.readable(in);
        try {
            if (src.length() == 0 || !Snappy.isValidCompressedBuffer(src.array(), src.offset(), src.length())) {
                throw WireProtocolException.fatal("snappy: invalid compressed data (" + src.length() + " bytes)");
            }
            int declared = Snappy.uncompressedLength(src.array(), src.offset(), src.length());
            if (declared != uncompressedSize) {
                throw CompressionCodec.sizeMismatch("snappy", declared, uncompressedSize);
            }
            ArrayRegion dst = ArrayRegion.writable(out, uncompressedSize);
            int written = Snappy.uncompress(src.array(), src.offset(), src.length(), dst.array(), dst.offset());
            if (written != uncompressedSize) {
                throw CompressionCodec.sizeMismatch("snappy", written, uncompressedSize);
            }
            dst.commit(out, written);
        } catch (IOException e) {
            throw WireProtocolException.fatal("snappy: invalid compressed data: " + e.getMessage());
        }
    }
}
