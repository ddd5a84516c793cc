package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.ArrayList;
import java.util.List;

/**
 * The compressors of OP_COMPRESSED, with their wire id and handshake name. {@link #NOOP} is
 * decoded when a peer sends it but is not meant to be enabled.
 *
 * <p>{@code compress}/{@code decompress} read the input's readable bytes without consuming or
 * releasing it, and return a new buffer that the caller owns.
 */
public enum Compressor {
    NOOP(0, "noop", new NoopCodec()),
    SNAPPY(1, "snappy", new SnappyCodec()),
    ZLIB(2, "zlib", new ZlibCodec()),
    ZSTD(3, "zstd", new ZstdCodec());

    /** The zlib level used when none is given: -1, zlib's default (6). */
    public static final int DEFAULT_ZLIB_LEVEL = -1;

    private final int id;
    private final String wireName;
    private final CompressionCodec codec;

    Compressor(int id, String wireName, CompressionCodec codec) {
        this.id = id;
        this.wireName = wireName;
        this.codec = codec;
    }

    /** The compressorId byte of OP_COMPRESSED. */
    public int id() {
        return id;
    }

    /** The name used in the handshake's {@code compression} array and in {@code compressors=}. */
    public String wireName() {
        return wireName;
    }

    /** The compressor with this id, or {@code null}. */
    public static Compressor byId(int id) {
        for (Compressor compressor : values()) {
            if (compressor.id == id) {
                return compressor;
            }
        }
        return null;
    }

    /** The compressor with this handshake name ({@code "snappy"}, {@code "zlib"}, {@code "zstd"}, {@code "noop"}), or {@code null}. */
    public static Compressor byName(String name) {
        for (Compressor compressor : values()) {
            if (compressor.wireName.equals(name)) {
                return compressor;
            }
        }
        return null;
    }

    /**
     * The compressors both sides support, in the client's order of preference; unknown names and
     * duplicates are ignored. The first element, if any, is the one to compress with.
     */
    public static List<Compressor> negotiate(List<String> clientOffered, List<Compressor> serverEnabled) {
        List<Compressor> agreed = new ArrayList<>(3);
        for (String name : clientOffered) {
            Compressor compressor = byName(name);
            if (compressor != null && serverEnabled.contains(compressor) && !agreed.contains(compressor)) {
                agreed.add(compressor);
            }
        }
        return List.copyOf(agreed);
    }

    /** Compresses {@code in}'s readable bytes (zlib at level {@value #DEFAULT_ZLIB_LEVEL}). */
    public ByteBuf compress(ByteBuf in, ByteBufAllocator alloc) {
        return compress(in, alloc, DEFAULT_ZLIB_LEVEL);
    }

    /** Compresses {@code in}'s readable bytes; {@code zlibLevel} (-1 to 9) is used by {@link #ZLIB} only. */
    public ByteBuf compress(ByteBuf in, ByteBufAllocator alloc, int zlibLevel) {
        checkZlibLevel(zlibLevel);
        ByteBuf out = alloc.heapBuffer(Math.max(64, in.readableBytes() / 2));
        try {
            codec.compress(in, out, zlibLevel);
            return out;
        } catch (RuntimeException | Error e) {
            out.release();
            throw e;
        }
    }

    /**
     * Decompresses {@code in}'s readable bytes, which must yield exactly {@code uncompressedSize}
     * bytes; the result never holds more (its maxCapacity is that size).
     *
     * @throws WireProtocolException (fatal) on corrupt data or a size mismatch
     */
    public ByteBuf decompress(ByteBuf in, int uncompressedSize, ByteBufAllocator alloc) {
        if (uncompressedSize < 0) {
            throw WireProtocolException.fatal("uncompressedSize: " + uncompressedSize + " (expected: >= 0)");
        }
        ByteBuf out = alloc.heapBuffer(Math.min(uncompressedSize, 256), uncompressedSize);
        try {
            codec.decompress(in, out, uncompressedSize);
            return out;
        } catch (RuntimeException | Error e) {
            out.release();
            throw e;
        }
    }

    void compressInto(ByteBuf in, ByteBuf out, int zlibLevel) {
        checkZlibLevel(zlibLevel);
        codec.compress(in, out, zlibLevel);
    }

    void decompressInto(ByteBuf in, ByteBuf out, int uncompressedSize) {
        codec.decompress(in, out, uncompressedSize);
    }

    static void checkZlibLevel(int zlibLevel) {
        if (zlibLevel < -1 || zlibLevel > 9) {
            throw new IllegalArgumentException("zlibCompressionLevel: " + zlibLevel + " (expected: -1 to 9)");
        }
    }
}
