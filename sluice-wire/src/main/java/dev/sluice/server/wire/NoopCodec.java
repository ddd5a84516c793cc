package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;

/** Compressor id 0: the message is stored as is. Decoded when received, never chosen to send. */
final class NoopCodec implements CompressionCodec {

    @Override
    public void compress(ByteBuf in, ByteBuf out, int zlibLevel) {
        out.writeBytes(in, in.readerIndex(), in.readableBytes());
    }

    @Override
    public void decompress(ByteBuf in, ByteBuf out, int uncompressedSize) {
        if (in.readableBytes() != uncompressedSize) {
            throw CompressionCodec.sizeMismatch("noop", in.readableBytes(), uncompressedSize);
        }
        ArrayRegion.ensureWritable(out, uncompressedSize);
        out.writeBytes(in, in.readerIndex(), uncompressedSize);
    }
}
