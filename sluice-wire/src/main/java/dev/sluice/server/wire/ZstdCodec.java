package dev.sluice.server.wire;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import io.netty.buffer.ByteBuf;

/**
 * Compressor id 3, zstd frames via zstd-jni. Decompression writes into a region of exactly
 * uncompressedSize bytes (zstd fails rather than write past it); a frame that declares a larger
 * content size is refused before allocating.
 */
final class ZstdCodec implements CompressionCodec {

    /** zstd's own default level. */
    static final int LEVEL = 3;

    @Override
    public void compress(ByteBuf in, ByteBuf out, int zlibLevel) {
        ArrayRegion src = ArrayRegion.readable(in);
        long bound = Zstd.compressBound(src.length());
        ArrayRegion dst = ArrayRegion.writable(out, (int) Math.min(bound, Integer.MAX_VALUE - 8));
        long written = Zstd.compressByteArray(dst.array(), dst.offset(), dst.length(),
                src.array(), src.offset(), src.length(), LEVEL);
        if (Zstd.isError(written)) {
            throw new IllegalStateException("zstd compression failed: " + Zstd.getErrorName(written));
        }
        dst.commit(out, (int) written);
    }

    @Override
    public void decompress(ByteBuf in, ByteBuf out, int uncompressedSize) {
        ArrayRegion src = ArrayRegion.readable(in);
        try {
            long declared = src.length() == 0 ? -1 : Zstd.getFrameContentSize(src.array(), src.offset(), src.length());
            if (declared > uncompressedSize) {
                throw CompressionCodec.sizeMismatch("zstd", declared, uncompressedSize);
            }
            ArrayRegion dst = ArrayRegion.writable(out, uncompressedSize);
            long written = Zstd.decompressByteArray(dst.array(), dst.offset(), uncompressedSize,
                    src.array(), src.offset(), src.length());
            if (Zstd.isError(written)) {
                throw WireProtocolException.fatal("zstd: invalid compressed data: " + Zstd.getErrorName(written));
            }
            if (written != uncompressedSize) {
                throw CompressionCodec.sizeMismatch("zstd", written, uncompressedSize);
            }
            dst.commit(out, (int) written);
        } catch (ZstdException e) {
            throw WireProtocolException.fatal("zstd: cannot decompress into uncompressedSize " + uncompressedSize
                    + " bytes: " + e.getMessage());
        }
    }
}
