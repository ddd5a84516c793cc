package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WireMessagesTest extends WireTestBase {

    @Test
    void answersAnOpMsgRequestWithAnOpMsgError() {
        ByteBuf frame = WireMessages.errorReply(alloc, 100, 7, OpCode.OP_MSG, 59, "CommandNotFound",
                "no such command: 'frobnicate'");
        OpMsg reply = OpMsg.parse(frame);
        frame.release();
        assertThat(reply.requestId()).isEqualTo(100);
        assertThat(reply.responseTo()).isEqualTo(7);
        assertThat(reply.flags()).isZero();
        assertThat(reply.body()).isEqualTo(
                doc("{ok: 0.0, errmsg: \"no such command: 'frobnicate'\", code: 59, codeName: 'CommandNotFound'}"));
    }

    @Test
    void answersAnOpQueryRequestWithAnOpReplyError() {
        ByteBuf frame = WireMessages.errorReply(alloc, 8, OpCode.OP_QUERY, 18, "AuthenticationFailed", "bad auth");
        OpReply reply = OpReply.parse(frame);
        frame.release();
        assertThat(reply.responseTo()).isEqualTo(8);
        assertThat(reply.requestId()).isPositive();
        assertThat(reply.responseFlags()).isZero();
        assertThat(reply.cursorId()).isZero();
        assertThat(docs(reply.documents())).containsExactly(
                doc("{ok: 0.0, errmsg: 'bad auth', code: 18, codeName: 'AuthenticationFailed'}"));
    }

    @Test
    void handsOutIncreasingRequestIds() {
        int first = RequestIds.next();
        assertThat(RequestIds.next()).isGreaterThan(first);
    }
}
