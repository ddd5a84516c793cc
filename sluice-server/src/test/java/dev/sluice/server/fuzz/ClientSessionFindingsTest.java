package dev.sluice.server.fuzz;

import dev.sluice.server.upstream.UpstreamCluster;
import dev.sluice.server.wire.OpCode;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/** Regression tests for what {@link ClientSessionFuzzTest} found in ClientSession. */
class ClientSessionFindingsTest {
    private static PausedUpstream upstream;
    private static UpstreamCluster cluster;

    @BeforeAll
    static void pausedUpstream() {
        upstream = new PausedUpstream(64 * 1024);
        cluster = upstream.cluster();
    }

    @AfterAll
    static void stop() {
        upstream.close();
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
