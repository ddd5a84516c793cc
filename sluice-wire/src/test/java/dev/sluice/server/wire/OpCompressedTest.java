package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpCompressedTest extends WireTestBase {

    private static final int MAX = FrameDecoder.DEFAULT_MAX_MESSAGE_SIZE_BYTES;

    private static BsonDocument bigFind() {
        BsonArray ids = new BsonArray();
        for (int i = 0; i < 2000; i++) {
            ids.add(new BsonInt32(i % 17));
        }
        return doc("{find: 'people', $db: 'test'}").append("filter", new BsonDocument("_id",
                new BsonDocument("$in", ids)));
    }

    /** An OP_COMPRESSED frame built by hand around {@code payload}. */
    private static byte[] compressedFrame(int originalOpcode, int uncompressedSize, int compressorId, byte[] payload) {
        return RawFrame.header(21, 20, OpCode.OP_COMPRESSED.code()).i32(originalOpcode).i32(uncompressedSize)
                .u8(compressorId).bytes(payload).build();
    }

    private WireProtocolException decompressError(byte[] frame, int max) {
        ByteBuf buf = buf(frame);
        try {
            OpCompressed.decompress(buf, max, alloc).release();
            throw new AssertionError("decompress accepted the frame");
        } catch (WireProtocolException e) {
            return e;
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @EnumSource(Compressor.class)
    void roundTripsAnOpMsg(Compressor compressor) {
        ByteBuf plain = OpMsg.encode(alloc, 31, 30, OpMsg.EXHAUST_ALLOWED, bigFind(),
                List.of(DocumentSequence.of("documents", List.of(doc("{a: 1}")))));
        byte[] plainBytes = ByteBufUtil.getBytes(plain);
        ByteBuf compressed = OpCompressed.compress(plain, compressor, alloc);
        plain.release();

        MessageHeader header = MessageHeader.read(compressed, 0);
        assertThat(header.op()).isEqualTo(OpCode.OP_COMPRESSED);
        assertThat(header.requestId()).isEqualTo(31);
        assertThat(header.responseTo()).isEqualTo(30);
        assertThat(header.messageLength()).isEqualTo(compressed.readableBytes());
        assertThat(compressed.getIntLE(16)).isEqualTo(OpCode.OP_MSG.code());
        assertThat(compressed.getIntLE(20)).isEqualTo(plainBytes.length - 16);
        assertThat(compressed.getUnsignedByte(24)).isEqualTo((short) compressor.id());
        if (compressor != Compressor.NOOP) {
            assertThat(compressed.readableBytes()).isLessThan(plainBytes.length * 3 / 4);
        }

        ByteBuf restored = OpCompressed.decompress(compressed, MAX, alloc);
        compressed.release();
        OpMsg msg = OpMsg.parse(restored);
        assertThat(drain(restored)).isEqualTo(plainBytes);
        assertThat(msg.body()).isEqualTo(bigFind());
        assertThat(msg.isExhaustAllowed()).isTrue();
    }

    @Test
    void roundTripsAnOpReply() {
        ByteBuf plain = OpReply.encode(alloc, 5, 4, 0, 0L, 0, List.of(bigFind()));
        ByteBuf compressed = OpCompressed.compress(plain, Compressor.ZSTD, alloc);
        plain.release();
        ByteBuf restored = OpCompressed.decompress(compressed, MAX, alloc);
        compressed.release();
        OpReply reply = OpReply.parse(restored);
        restored.release();
        assertThat(docs(reply.documents())).containsExactly(bigFind());
        assertThat(reply.responseTo()).isEqualTo(4);
    }

    @Test
    void refusesAnUncompressedSizeBeyondTheLimitBeforeDecompressing() {
        WireProtocolException e = decompressError(
                compressedFrame(OpCode.OP_MSG.code(), 48_000_000, Compressor.ZLIB.id(), new byte[8]), MAX);
        assertThat(e).hasMessage("uncompressedSize: 48000000 (expected: <= 47999984, maxMessageSizeBytes 48000000"
                + " minus the 16-byte header)");
        assertThat(e.isFatal()).isTrue();
        assertThat(e.requestId()).hasValue(21);
    }

    @Test
    void refusesANegativeUncompressedSize() {
        assertThat(decompressError(compressedFrame(2013, -8, 1, new byte[8]), MAX))
                .hasMessage("uncompressedSize: -8 (expected: >= 0)");
    }

    @Test
    void refusesAnUnknownCompressorId() {
        assertThat(decompressError(compressedFrame(2013, 8, 9, new byte[8]), MAX))
                .hasMessage("compressorId: 9 (expected: 0 noop, 1 snappy, 2 zlib or 3 zstd)");
    }

    @Test
    void refusesOpCompressedInsideOpCompressed() {
        assertThat(decompressError(compressedFrame(OpCode.OP_COMPRESSED.code(), 8, 0, new byte[8]), MAX))
                .hasMessage("originalOpcode: OP_COMPRESSED(2012) (expected: any other opcode, OP_COMPRESSED cannot"
                        + " be nested)");
    }

    @Test
    void refusesAFrameTooShortForItsFields() {
        byte[] frame = RawFrame.header(1, 0, OpCode.OP_COMPRESSED.code()).i32(2013).i32(5).build();
        assertThat(decompressError(frame, MAX)).hasMessage("OP_COMPRESSED messageLength: 24 (expected: >= 25)");
    }

    @ParameterizedTest
    @EnumSource(Compressor.class)
    void refusesDataThatDecompressesToMoreOrFewerBytesThanAnnounced(Compressor compressor) {
        byte[] text = "0123456789".repeat(100).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuf in = buf(text);
        byte[] payload = drain(compressor.compress(in, alloc));
        in.release();
        for (int announced : new int[] {text.length - 1, text.length + 1, 0}) {
            WireProtocolException e = decompressError(compressedFrame(2013, announced, compressor.id(), payload), MAX);
            assertThat(e.getMessage()).as("announced %d", announced)
                    .startsWith("OP_COMPRESSED " + compressor.wireName() + ": ")
                    .contains("expected: " + announced + ", uncompressedSize");
            assertThat(e.isFatal()).isTrue();
            assertThat(e.requestId()).hasValue(21);
        }
    }

    @Test
    void boundsTheOutputOfAZlibBomb() {
        ByteBuf zeros = alloc.heapBuffer(8 << 20).writeZero(8 << 20);
        byte[] bomb = drain(Compressor.ZLIB.compress(zeros, alloc, 9));
        zeros.release();
        assertThat(bomb.length).isLessThan(20_000);
        WireProtocolException e = decompressError(compressedFrame(2013, 1000, 2, bomb), MAX);
        assertThat(e).hasMessage("OP_COMPRESSED zlib: decompressed size exceeds 1000 (expected: 1000, uncompressedSize)");
    }

    @Test
    void refusesASizeDeflateCannotReach() {
        assertThat(decompressError(compressedFrame(2013, 10_000_000, 2, new byte[100]), MAX)).hasMessage(
                "OP_COMPRESSED zlib: uncompressedSize 10000000 cannot come from 100 compressed bytes"
                        + " (deflate expands at most 1032:1)");
    }

    @Test
    void refusesToCompressACompressedFrame() {
        ByteBuf compressed = buf(compressedFrame(2013, 8, 0, new byte[8]));
        assertThatThrownBy(() -> OpCompressed.compress(compressed, Compressor.ZLIB, alloc))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("opCode: OP_COMPRESSED(2012) (expected: a plain message)");
        compressed.release();
    }

    @Test
    void neverCompressesHandshakeOrAuthenticationCommands() {
        for (String command : List.of("hello", "isMaster", "ismaster", "saslStart", "saslContinue", "getnonce",
                "authenticate", "createUser", "updateUser", "copydbSaslStart", "copydbgetnonce", "copydb")) {
            assertThat(OpCompressed.isCompressible(command)).as(command).isFalse();
        }
        assertThat(OpCompressed.isCompressible("find")).isTrue();
        assertThat(OpCompressed.isCompressible("insert")).isTrue();
        assertThat(OpCompressed.isCompressible(null)).isFalse();
    }
}
