package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ClientCompression} and {@link UpstreamCompression} in an EmbeddedChannel: what goes in and out of each side. */
class CompressionHandlersTest extends WireTestBase {
    private static final int MAX = FrameDecoder.DEFAULT_MAX_MESSAGE_SIZE_BYTES;

    private EmbeddedChannel channel(io.netty.channel.ChannelHandler handler) {
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        channel.config().setAllocator(alloc);
        return channel;
    }

    private ByteBuf request(int requestId, int flags, String json) {
        return OpMsg.encode(alloc, requestId, 0, flags, doc(json));
    }

    private ByteBuf reply(int requestId, int responseTo, int flags) {
        return OpMsg.encode(alloc, requestId, responseTo, flags, doc("{cursor: {id: 0, firstBatch: []}, ok: 1}"));
    }

    private ByteBuf compressed(ByteBuf plain, Compressor compressor) {
        try {
            return OpCompressed.compress(plain, compressor, alloc);
        } finally {
            plain.release();
        }
    }

    private static int opCode(ByteBuf frame) {
        return MessageHeader.opCodeOf(frame);
    }

    /** The compressorId of an OP_COMPRESSED frame, which is then released. */
    private static int compressorIdOf(ByteBuf frame) {
        try {
            assertThat(opCode(frame)).isEqualTo(OpCode.OP_COMPRESSED.code());
            return frame.getUnsignedByte(frame.readerIndex() + 24);
        } finally {
            frame.release();
        }
    }

    @ParameterizedTest
    @EnumSource(Compressor.class)
    void aCompressedRequestComesOutPlainAndItsReplyGoesOutWithTheSameCompressor(Compressor compressor) {
        EmbeddedChannel channel = channel(new ClientCompression(MAX));
        ByteBuf plain = request(7, 0, "{find: 'people', filter: {a: 1}, $db: 'test'}");
        byte[] plainBytes = ByteBufUtil.getBytes(plain);

        channel.writeInbound(compressed(plain, compressor));
        assertThat(drain(channel.readInbound())).isEqualTo(plainBytes);

        channel.writeOutbound(reply(100, 7, 0));
        assertThat(compressorIdOf(channel.readOutbound())).isEqualTo(compressor.id());
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aPlainRequestPassesAsItIsAndItsReplyGoesOutPlain() {
        EmbeddedChannel channel = channel(new ClientCompression(MAX));
        ByteBuf plain = request(8, 0, "{find: 'people', $db: 'test'}");
        channel.writeInbound(plain);
        ByteBuf in = channel.readInbound();
        assertThat(in).isSameAs(plain);
        in.release();

        channel.writeOutbound(reply(101, 8, 0));
        ByteBuf out = channel.readOutbound();
        assertThat(opCode(out)).isEqualTo(OpCode.OP_MSG.code());
        out.release();
        assertThat(channel.finish()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "isMaster", "saslStart", "saslContinue", "getnonce", "authenticate", "createUser",
            "updateUser", "copydbSaslStart", "copydbgetnonce", "copydb"})
    void theReplyToAHandshakeOrAuthenticationCommandIsNeverCompressed(String command) {
        EmbeddedChannel channel = channel(new ClientCompression(MAX));
        channel.writeInbound(compressed(request(9, 0, "{" + command + ": 1, $db: 'admin'}"), Compressor.ZLIB));
        ByteBuf in = channel.readInbound();
        assertThat(opCode(in)).isEqualTo(OpCode.OP_MSG.code());
        in.release();

        channel.writeOutbound(reply(102, 9, 0));
        ByteBuf out = channel.readOutbound();
        assertThat(opCode(out)).isEqualTo(OpCode.OP_MSG.code());
        out.release();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void everyReplyOfAnExhaustStreamIsCompressedAndTheStreamsEndForgetsIt() {
        EmbeddedChannel channel = channel(new ClientCompression(MAX));
        channel.writeInbound(compressed(request(10, OpMsg.EXHAUST_ALLOWED, "{getMore: 5, collection: 'c', $db: 'test'}"),
                Compressor.SNAPPY));
        ((ByteBuf) channel.readInbound()).release();

        channel.writeOutbound(reply(200, 10, OpMsg.MORE_TO_COME));
        assertThat(compressorIdOf(channel.readOutbound())).isEqualTo(Compressor.SNAPPY.id());
        channel.writeOutbound(reply(201, 200, 0)); // answers the stream's previous reply
        assertThat(compressorIdOf(channel.readOutbound())).isEqualTo(Compressor.SNAPPY.id());

        channel.writeOutbound(reply(202, 10, 0)); // the request was answered: nothing left to compress with
        ByteBuf out = channel.readOutbound();
        assertThat(opCode(out)).isEqualTo(OpCode.OP_MSG.code());
        out.release();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aRequestOverMaxMessageSizeBytesOnceDecompressedIsAFatalErrorNamingTheSetting() {
        EmbeddedChannel channel = channel(new ClientCompression(1024));
        ByteBuf big = OpMsg.encode(alloc, 11, 0, 0, new BsonDocument("insert", new org.bson.BsonString("c"))
                .append("pad", new org.bson.BsonString("x".repeat(4096))).append("$db", new org.bson.BsonString("t")));
        assertThatThrownBy(() -> channel.writeInbound(compressed(big, Compressor.ZLIB)))
                .isInstanceOfSatisfying(WireProtocolException.class, e -> {
                    assertThat(e.isFatal()).isTrue();
                    assertThat(e.requestId()).hasValue(11);
                    assertThat(e.getMessage()).contains("uncompressedSize").contains("maxMessageSizeBytes 1024");
                });
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void upstreamRequestsAreCompressedOnceACompressorIsAgreedExceptHandshakeAndAuthentication() {
        UpstreamCompression compression = new UpstreamCompression(MAX);
        EmbeddedChannel channel = channel(compression);
        channel.writeOutbound(request(1, 0, "{find: 'c', $db: 'test'}"));
        ByteBuf before = channel.readOutbound();
        assertThat(opCode(before)).isEqualTo(OpCode.OP_MSG.code());
        before.release();

        compression.use(Compressor.ZSTD);
        channel.writeOutbound(request(2, 0, "{find: 'c', $db: 'test'}"));
        assertThat(compressorIdOf(channel.readOutbound())).isEqualTo(Compressor.ZSTD.id());
        channel.writeOutbound(request(3, 0, "{saslContinue: 1, conversationId: 1, $db: 'admin'}"));
        ByteBuf sasl = channel.readOutbound();
        assertThat(opCode(sasl)).isEqualTo(OpCode.OP_MSG.code());
        sasl.release();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aCompressedUpstreamReplyComesOutPlain() {
        EmbeddedChannel channel = channel(new UpstreamCompression(MAX));
        ByteBuf plain = reply(300, 3, 0);
        byte[] plainBytes = ByteBufUtil.getBytes(plain);
        channel.writeInbound(compressed(plain, Compressor.ZLIB));
        assertThat(drain(channel.readInbound())).isEqualTo(plainBytes);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void anUpstreamReplyOverMaxUpstreamReplyBytesOnceDecompressedIsRefusedBeforeDecompressing() {
        EmbeddedChannel channel = channel(new UpstreamCompression(1024));
        ByteBuf big = OpMsg.encode(alloc, 301, 4, 0, new BsonDocument("ok", new org.bson.BsonInt32(1))
                .append("pad", new org.bson.BsonString("x".repeat(4096))));
        int plainLength = big.readableBytes();
        assertThatThrownBy(() -> channel.writeInbound(compressed(big, Compressor.ZLIB)))
                .isInstanceOfSatisfying(DecompressedTooLongException.class, e -> {
                    assertThat(e.plainLength()).isEqualTo(plainLength);
                    assertThat(e.getMessage()).contains("maxUpstreamReplyBytes").contains("<= 1024");
                });
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.finish()).isFalse();
    }
}
