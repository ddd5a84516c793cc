package dev.sluice.server.fuzz;

import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.wire.ClientCompression;
import dev.sluice.server.wire.Compressor;
import dev.sluice.server.wire.MessageHeader;
import dev.sluice.server.wire.OpCode;
import dev.sluice.server.wire.OpCompressed;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compression handler joins a client's pipeline with its first compressed request (an idle client that never
 * compresses holds none), and the bytes in and out are counted once, as on the socket, before and after.
 */
class LazyCompressionTest {
    private static final int MAX = 48_000_000;
    private static PausedUpstream upstream;

    @BeforeAll
    static void pausedUpstream() {
        upstream = new PausedUpstream(MAX);
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @Test
    void theHandlerJoinsWithTheFirstCompressedRequestAndBytesAreCountedOnce() {
        SessionFixture fixture = new SessionFixture(upstream.cluster(), MAX);
        EmbeddedChannel channel = fixture.channel();
        ConnectionEntry entry = fixture.session().entry();

        ByteBuf hello = request(1, "{hello: 1, compression: ['zlib'], $db: 'admin'}");
        int helloBytes = hello.readableBytes();
        channel.writeInbound(hello);
        List<ByteBuf> replies = drain(channel);
        assertThat(replies).hasSize(1);
        assertThat(channel.pipeline().get(ClientCompression.class)).as("no handler while nothing is compressed").isNull();
        assertThat(entry.bytesIn()).isEqualTo(helloBytes);
        assertThat(entry.bytesOut()).isEqualTo(size(replies));
        release(replies);

        // two compressed pings in one read: the first puts the handler in, both are answered, compressed
        ByteBuf ping2 = compressed(2, "{ping: 1, $db: 'admin'}");
        ByteBuf ping3 = compressed(3, "{ping: 1, $db: 'admin'}");
        int pingBytes = ping2.readableBytes() + ping3.readableBytes();
        channel.writeInbound(Unpooled.wrappedBuffer(ping2, ping3));
        replies = drain(channel);
        assertThat(channel.pipeline().get(ClientCompression.class)).isNotNull();
        assertThat(replies).hasSize(2);
        for (ByteBuf reply : replies) {
            assertThat(MessageHeader.opCodeOf(reply)).isEqualTo(OpCode.OP_COMPRESSED.code());
        }
        assertThat(replies.stream().map(MessageHeader::responseToOf)).containsExactly(2, 3);
        assertThat(entry.bytesIn()).as("each request counted once, as on the socket").isEqualTo(helloBytes + pingBytes);
        long outBefore = entry.bytesOut();
        release(replies);

        // plain requests still work and are counted by the handler now
        ByteBuf ping4 = request(4, "{ping: 1, $db: 'admin'}");
        int ping4Bytes = ping4.readableBytes();
        channel.writeInbound(ping4);
        replies = drain(channel);
        assertThat(replies).hasSize(1);
        assertThat(MessageHeader.opCodeOf(replies.get(0))).isEqualTo(OpCode.OP_MSG.code());
        assertThat(entry.bytesIn()).isEqualTo(helloBytes + pingBytes + ping4Bytes);
        assertThat(entry.bytesOut()).isEqualTo(outBefore + size(replies));
        release(replies);
        channel.finishAndReleaseAll();
    }

    private static ByteBuf request(int id, String json) {
        return OpMsg.encode(UnpooledByteBufAllocator.DEFAULT, id, 0, 0, BsonDocument.parse(json));
    }

    private static ByteBuf compressed(int id, String json) {
        ByteBuf plain = request(id, json);
        try {
            return OpCompressed.compress(plain, Compressor.ZLIB, UnpooledByteBufAllocator.DEFAULT);
        } finally {
            plain.release();
        }
    }

    private static List<ByteBuf> drain(EmbeddedChannel channel) {
        channel.runPendingTasks();
        List<ByteBuf> out = new ArrayList<>();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            if (b.isReadable()) {
                out.add(b);
            } else {
                b.release();
            }
        }
        return out;
    }

    private static long size(List<ByteBuf> frames) {
        return frames.stream().mapToLong(ByteBuf::readableBytes).sum();
    }

    private static void release(List<ByteBuf> frames) {
        frames.forEach(ByteBuf::release);
    }
}
