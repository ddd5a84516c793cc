package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpReplyTest extends WireTestBase {

    private WireProtocolException parseError(byte[] frame) {
        ByteBuf buf = buf(frame);
        try {
            OpReply.parse(buf);
            throw new AssertionError("parse accepted the frame");
        } catch (WireProtocolException e) {
            return e;
        } finally {
            buf.release();
        }
    }

    private static RawFrame reply(int numberReturned) {
        return RawFrame.header(2, 1, OpCode.OP_REPLY.code()).i32(0).i64(0).i32(0).i32(numberReturned);
    }

    @Test
    void roundTripsDocumentsAndCursorFields() {
        ByteBuf frame = OpReply.encode(alloc, 8, 3, OpReply.AWAIT_CAPABLE, 123456789012L, 4,
                List.of(doc("{a: 1}"), doc("{b: 'two'}")));
        OpReply reply = OpReply.parse(frame);
        frame.release();
        assertThat(reply.requestId()).isEqualTo(8);
        assertThat(reply.responseTo()).isEqualTo(3);
        assertThat(reply.responseFlags()).isEqualTo(OpReply.AWAIT_CAPABLE);
        assertThat(reply.cursorId()).isEqualTo(123456789012L);
        assertThat(reply.startingFrom()).isEqualTo(4);
        assertThat(reply.numberReturned()).isEqualTo(2);
        assertThat(docs(reply.documents())).containsExactly(doc("{a: 1}"), doc("{b: 'two'}"));
    }

    @Test
    void roundTripsAReplyWithoutDocuments() {
        ByteBuf frame = OpReply.encode(alloc, 1, 2, 0, 0L, 0, List.of());
        assertThat(frame.readableBytes()).isEqualTo(36);
        OpReply reply = OpReply.parse(frame);
        frame.release();
        assertThat(reply.documents()).isEmpty();
    }

    @Test
    void refusesANumberReturnedTheMessageCannotHold() {
        assertThat(parseError(reply(-1).build()))
                .hasMessage("OP_REPLY numberReturned: -1 (expected: 0 to 0, what the message's size allows)");
        assertThat(parseError(reply(1_000_000).doc(doc("{}")).build()))
                .hasMessage("OP_REPLY numberReturned: 1000000 (expected: 0 to 1, what the message's size allows)");
    }

    @Test
    void refusesFewerDocumentsThanAnnounced() {
        assertThat(parseError(reply(2).doc(doc("{a: 1}")).bytes(new byte[5]).build()))
                .hasMessage("OP_REPLY document #1 length: 0 (expected: >= 5)");
    }

    @Test
    void refusesBytesAfterTheDocuments() {
        assertThat(parseError(reply(1).doc(doc("{a: 1}")).doc(doc("{}")).build()))
                .hasMessage("OP_REPLY has 5 bytes after its 1 documents (expected: 0)");
    }

    @Test
    void refusesAnotherOpcode() {
        ByteBuf frame = OpMsg.encode(alloc, 1, 0, 0, doc("{ok: 1}"));
        assertThatThrownBy(() -> OpReply.parse(frame)).isInstanceOf(WireProtocolException.class)
                .hasMessage("opCode: OP_MSG(2013) (expected: OP_REPLY(1))");
        frame.release();
    }
}
