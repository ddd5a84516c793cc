package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rewriting a frame in place for forwarding: the header and flags, and the checksum that covers them. */
class OpMsgFrameRewriteTest extends WireTestBase {

    private ByteBuf checksummed() {
        return OpMsg.encode(alloc, 10, 0, OpMsg.CHECKSUM_PRESENT, doc("{find: 'c', $db: 'x'}"));
    }

    @Test
    void setRequestIdKeepsTheChecksumValid() {
        ByteBuf frame = checksummed();
        OpMsg.setRequestId(frame, 777);
        OpMsg msg = OpMsg.parse(frame);
        frame.release();
        assertThat(msg.requestId()).isEqualTo(777);
        assertThat(msg.isChecksumPresent()).isTrue();
    }

    @Test
    void setResponseToKeepsTheChecksumValid() {
        ByteBuf frame = checksummed();
        OpMsg.setResponseTo(frame, 55);
        OpMsg msg = OpMsg.parse(frame);
        frame.release();
        assertThat(msg.responseTo()).isEqualTo(55);
    }

    @Test
    void aRawHeaderRewriteBreaksTheChecksum() {
        ByteBuf frame = checksummed();
        MessageHeader.setRequestId(frame, 778);
        assertThatThrownBy(() -> OpMsg.parse(frame)).isInstanceOf(WireProtocolException.class)
                .hasMessageStartingWith("checksum: ");
        frame.release();
    }

    @Test
    void setFlagsKeepsTheChecksumValid() {
        ByteBuf frame = checksummed();
        OpMsg.setFlags(frame, OpMsg.CHECKSUM_PRESENT | OpMsg.MORE_TO_COME);
        OpMsg msg = OpMsg.parse(frame);
        frame.release();
        assertThat(msg.isMoreToCome()).isTrue();
        assertThat(msg.isChecksumPresent()).isTrue();
    }

    @Test
    void setFlagsCannotAddOrRemoveTheChecksum() {
        ByteBuf frame = checksummed();
        assertThatThrownBy(() -> OpMsg.setFlags(frame, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use stripChecksum");
        frame.release();
        ByteBuf plain = OpMsg.encode(alloc, 1, 0, 0, doc("{ping: 1}"));
        assertThatThrownBy(() -> OpMsg.setFlags(plain, OpMsg.CHECKSUM_PRESENT))
                .isInstanceOf(IllegalArgumentException.class);
        plain.release();
    }

    @Test
    void stripChecksumDropsTheTrailerAndTheFlag() {
        ByteBuf frame = checksummed();
        int length = frame.readableBytes();
        OpMsg.stripChecksum(frame);
        assertThat(frame.readableBytes()).isEqualTo(length - 4);
        assertThat(frame.getIntLE(frame.readerIndex())).isEqualTo(length - 4);
        OpMsg msg = OpMsg.parse(frame);
        frame.release();
        assertThat(msg.isChecksumPresent()).isFalse();
        assertThat(msg.body()).isEqualTo(doc("{find: 'c', $db: 'x'}"));
        assertThat(msg.requestId()).isEqualTo(10);
    }

    @Test
    void stripChecksumLeavesAFrameWithoutOneAlone() {
        ByteBuf frame = OpMsg.encode(alloc, 1, 0, OpMsg.EXHAUST_ALLOWED, doc("{hello: 1}"));
        byte[] before = io.netty.buffer.ByteBufUtil.getBytes(frame);
        OpMsg.stripChecksum(frame);
        assertThat(drain(frame)).isEqualTo(before);
    }

    @Test
    void rewritesWorkOnASliceOfALargerBuffer() {
        ByteBuf first = OpMsg.encode(alloc, 1, 0, 0, doc("{ping: 1}"));
        ByteBuf second = checksummed();
        int firstLength = first.readableBytes();
        int secondLength = second.readableBytes();
        ByteBuf stream = alloc.heapBuffer().writeBytes(first).writeBytes(second);
        first.release();
        second.release();
        ByteBuf frame = stream.slice(firstLength, secondLength);
        OpMsg.setRequestId(frame, 99);
        OpMsg.stripChecksum(frame);
        assertThat(OpMsg.parse(frame).requestId()).isEqualTo(99);
        assertThat(OpMsg.parse(stream.slice(0, firstLength)).commandName()).isEqualTo("ping");
        stream.release();
    }

    @Test
    void messageHeaderSettersRewriteAnyFrame() {
        ByteBuf frame = OpReply.encode(alloc, 1, 2, 0, 0L, 0, java.util.List.of(doc("{ok: 1}")));
        MessageHeader.setRequestId(frame, 11);
        MessageHeader.setResponseTo(frame, 12);
        MessageHeader header = MessageHeader.read(frame, frame.readerIndex());
        OpReply reply = OpReply.parse(frame);
        frame.release();
        assertThat(header).isEqualTo(new MessageHeader(header.messageLength(), 11, 12, 1));
        assertThat(header.op()).isEqualTo(OpCode.OP_REPLY);
        assertThat(reply.responseTo()).isEqualTo(12);
    }
}
