package dev.sluice.server.fuzz;

import dev.sluice.pool.PoolListener;
import dev.sluice.server.config.UpstreamSettings;
import dev.sluice.server.upstream.UpstreamCluster;
import dev.sluice.server.wire.OpCode;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Regression tests for what {@link ClientSessionFuzzTest} found in ClientSession. */
class ClientSessionFindingsTest {
    private static EventLoopGroup group;
    private static ScheduledExecutorService scheduler;
    private static UpstreamCluster cluster;

    @BeforeAll
    static void pausedUpstream() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        scheduler = Executors.newSingleThreadScheduledExecutor();
        cluster = new UpstreamCluster(UpstreamSettings.fromUri("mongodb://127.0.0.1:1/?connectTimeoutMS=100", false),
                new dev.sluice.server.upstream.LoopLanes(group), NioSocketChannel.class, 64 * 1024, new PoolListener() { }, scheduler, 17);
    }

    @AfterAll
    static void stop() {
        cluster.close();
        scheduler.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** An OP_COMPRESSED frame too short to hold its compressorId was closed with no reply (IndexOutOfBounds). */
    @Test
    void aTruncatedOpCompressedGetsFailedToParseBeforeTheConnectionCloses() {
        EmbeddedChannel channel = new SessionFixture(cluster, 64 * 1024).channel();
        ByteBuf frame = Unpooled.buffer().writeIntLE(20).writeIntLE(42).writeIntLE(0)
                .writeIntLE(OpCode.OP_COMPRESSED.code()).writeIntLE(OpCode.OP_MSG.code());
        channel.writeInbound(frame);
        channel.runPendingTasks();
        ByteBuf reply = channel.readOutbound();
        assertThat(reply).as("an error reply").isNotNull();
        try {
            OpMsg msg = OpMsg.parse(reply);
            BsonDocument body = msg.body();
            assertThat(msg.responseTo()).isEqualTo(42);
            assertThat(body.getNumber("code").intValue()).isEqualTo(9);
            assertThat(body.getString("errmsg").getValue()).contains("OP_COMPRESSED");
        } finally {
            reply.release();
        }
        assertThat(channel.isOpen()).as("closed after the reply").isFalse();
        channel.finishAndReleaseAll();
    }
}
