package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.Set;

/**
 * OP_COMPRESSED (opcode 2012): another message, minus its header, compressed. Layout after the
 * header: int32 originalOpcode, int32 uncompressedSize, uint8 compressorId, compressed bytes.
 *
 * <p>Neither method releases its input frame; each returns a new frame that the caller owns.
 */
public final class OpCompressed {

    /** Header, originalOpcode, uncompressedSize, compressorId. */
    static final int MIN_LENGTH = MessageHeader.LENGTH + 4 + 4 + 1;

    /** Commands whose messages must never be compressed (handshake and authentication). */
    private static final Set<String> NEVER_COMPRESSED = Set.of("hello", "isMaster", "ismaster", "saslStart",
            "saslContinue", "getnonce", "authenticate", "createUser", "updateUser", "copydbSaslStart",
            "copydbgetnonce", "copydb");

    private OpCompressed() {
    }

    /**
     * Rebuilds the plain frame wrapped by the OP_COMPRESSED frame held by {@code frame}'s readable
     * bytes: same requestId and responseTo, opCode = originalOpcode, messageLength = 16 +
     * uncompressedSize. Every field is checked before anything is decompressed or allocated:
     * originalOpcode is not OP_COMPRESSED, {@code 0 <= uncompressedSize <= maxMessageSizeBytes - 16},
     * the compressorId is known; then the data must decompress to exactly uncompressedSize bytes.
     *
     * @throws WireProtocolException (fatal) when any of that fails
     */
    public static ByteBuf decompress(ByteBuf frame, int maxMessageSizeBytes, ByteBufAllocator alloc) {
        MessageHeader header = MessageHeader.readFrame(frame, OpCode.OP_COMPRESSED, MIN_LENGTH);
        int requestId = header.requestId();
        int start = frame.readerIndex();
        int originalOpcode = frame.getIntLE(start + MessageHeader.LENGTH);
        if (originalOpcode == OpCode.OP_COMPRESSED.code()) {
            throw WireProtocolException.fatal(requestId, "originalOpcode: " + OpCode.describe(originalOpcode)
                    + " (expected: any other opcode, OP_COMPRESSED cannot be nested)");
        }
        int uncompressedSize = frame.getIntLE(start + MessageHeader.LENGTH + 4);
        if (uncompressedSize < 0) {
            throw WireProtocolException.fatal(requestId, "uncompressedSize: " + uncompressedSize + " (expected: >= 0)");
        }
        if (MessageHeader.LENGTH + (long) uncompressedSize > maxMessageSizeBytes) {
            throw WireProtocolException.fatal(requestId, "uncompressedSize: " + uncompressedSize + " (expected: <= "
                    + (maxMessageSizeBytes - MessageHeader.LENGTH) + ", maxMessageSizeBytes " + maxMessageSizeBytes
                    + " minus the 16-byte header)");
        }
        int compressorId = frame.getUnsignedByte(start + MessageHeader.LENGTH + 8);
        Compressor compressor = Compressor.byId(compressorId);
        if (compressor == null) {
            throw WireProtocolException.fatal(requestId, "compressorId: " + compressorId
                    + " (expected: 0 noop, 1 snappy, 2 zlib or 3 zstd)");
        }
        int plainLength = MessageHeader.LENGTH + uncompressedSize;
        ByteBuf compressed = frame.slice(start + MIN_LENGTH, header.messageLength() - MIN_LENGTH);
        ByteBuf out = alloc.heapBuffer(Math.min(plainLength, 256), plainLength);
        try {
            MessageHeader.write(out, plainLength, requestId, header.responseTo(), originalOpcode);
            compressor.decompressInto(compressed, out, uncompressedSize);
            return out;
        } catch (WireProtocolException e) {
            out.release();
            throw e.requestId().isPresent() ? e : WireProtocolException.fatal(requestId,
                    "OP_COMPRESSED " + e.getMessage(), e.getCause());
        } catch (RuntimeException | Error e) {
            out.release();
            throw e;
        }
    }

    /** The compressor named by the OP_COMPRESSED frame at {@code frame.readerIndex()} (checked by {@link #decompress}). */
    static Compressor compressorOf(ByteBuf frame) {
        return Compressor.byId(frame.getUnsignedByte(frame.readerIndex() + MessageHeader.LENGTH + 8));
    }

    /** 16 + uncompressedSize (read unsigned) of the OP_COMPRESSED frame at {@code frame.readerIndex()}. */
    static long declaredPlainLength(ByteBuf frame) {
        return MessageHeader.LENGTH + frame.getUnsignedIntLE(frame.readerIndex() + MessageHeader.LENGTH + 4);
    }

    /** Wraps the plain frame in an OP_COMPRESSED (zlib at its default level). */
    public static ByteBuf compress(ByteBuf plainFrame, Compressor compressor, ByteBufAllocator alloc) {
        return compress(plainFrame, compressor, Compressor.DEFAULT_ZLIB_LEVEL, alloc);
    }

    /**
     * Wraps the plain frame held by {@code plainFrame}'s readable bytes in an OP_COMPRESSED with the
     * same requestId and responseTo. {@code zlibLevel} (-1 to 9) matters to zlib only.
     */
    public static ByteBuf compress(ByteBuf plainFrame, Compressor compressor, int zlibLevel, ByteBufAllocator alloc) {
        int start = plainFrame.readerIndex();
        MessageHeader header = MessageHeader.read(plainFrame, start);
        if (header.messageLength() != plainFrame.readableBytes()) {
            throw new IllegalArgumentException("messageLength: " + header.messageLength() + " (expected: "
                    + plainFrame.readableBytes() + ", the frame's readable bytes)");
        }
        if (header.opCode() == OpCode.OP_COMPRESSED.code()) {
            throw new IllegalArgumentException("opCode: OP_COMPRESSED(2012) (expected: a plain message)");
        }
        int uncompressedSize = header.messageLength() - MessageHeader.LENGTH;
        ByteBuf out = alloc.heapBuffer(MIN_LENGTH + Math.max(64, uncompressedSize / 2));
        try {
            int outStart = out.writerIndex();
            MessageHeader.write(out, 0, header.requestId(), header.responseTo(), OpCode.OP_COMPRESSED.code());
            out.writeIntLE(header.opCode());
            out.writeIntLE(uncompressedSize);
            out.writeByte(compressor.id());
            compressor.compressInto(plainFrame.slice(start + MessageHeader.LENGTH, uncompressedSize), out, zlibLevel);
            out.setIntLE(outStart, out.writerIndex() - outStart);
            return out;
        } catch (RuntimeException | Error e) {
            out.release();
            throw e;
        }
    }

    /**
     * Whether a message running {@code commandName} may be compressed: false for the handshake
     * and authentication commands the compression spec lists (and for {@code null}).
     */
    public static boolean isCompressible(String commandName) {
        return commandName != null && !NEVER_COMPRESSED.contains(commandName);
    }
}
