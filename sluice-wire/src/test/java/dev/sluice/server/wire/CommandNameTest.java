package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link CommandName} and {@link OpMsgBody}: the body found in place, and "not found" for anything malformed. */
class CommandNameTest extends WireTestBase {

    private String nameOf(byte[] frame) {
        ByteBuf buf = buf(frame);
        try {
            return CommandName.of(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void theFirstKeyOfTheBodyEvenAfterADocumentSequence() {
        byte[] frame = RawFrame.opMsg(1, 0).sequence("documents", doc("{a: 1}"), doc("{b: 2}"))
                .u8(0).doc(doc("{insert: 'c', $db: 'test'}")).build();
        assertThat(nameOf(frame)).isEqualTo("insert");
    }

    @Test
    void anEncodedOpMsgAtAnyReaderIndex() {
        ByteBuf frame = OpMsg.encode(alloc, 2, 0, 0, doc("{find: 'c', $db: 'test'}"),
                List.of(DocumentSequence.of("x", List.of(doc("{a: 1}")))));
        ByteBuf shifted = alloc.heapBuffer().writeZero(7).writeBytes(frame);
        shifted.skipBytes(7);
        frame.release();
        assertThat(CommandName.of(shifted)).isEqualTo("find");
        assertThat(OpMsgBody.nioOf(shifted).remaining()).isEqualTo(bsonBytes(doc("{find: 'c', $db: 'test'}")).length);
        shifted.release();
    }

    @Test
    void anEmptyBodyHasAnEmptyName() {
        assertThat(nameOf(RawFrame.opMsg(3, 0).u8(0).doc(doc("{}")).build())).isEmpty();
    }

    @Test
    void malformedFramesHaveNoName() {
        assertThat(nameOf(RawFrame.opMsg(4, 0).u8(2).doc(doc("{find: 1}")).build())).as("unknown kind").isNull();
        assertThat(nameOf(RawFrame.opMsg(5, 0).u8(0).i32(4000).i32(0).build())).as("body past the end").isNull();
        assertThat(nameOf(RawFrame.opMsg(6, 0).sequence("d", doc("{a: 1}")).build())).as("no body").isNull();
        assertThat(nameOf(RawFrame.header(7, 0, OpCode.OP_QUERY.code()).i32(0).cstring("a.$cmd").i32(0).i32(-1)
                .doc(doc("{find: 1}")).build())).as("not OP_MSG").isNull();
    }
}
