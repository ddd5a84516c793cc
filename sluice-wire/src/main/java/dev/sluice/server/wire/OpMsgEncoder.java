package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;

import java.util.List;

/** Frames OP_MSG messages: the implementation of {@link OpMsg#encode}. */
final class OpMsgEncoder {

    private OpMsgEncoder() {
    }

    static void checkFlags(int flags) {
        int unknown = flags & OpMsg.REQUIRED_BITS & ~OpMsg.KNOWN_REQUIRED_BITS;
        if (unknown != 0) {
            throw new IllegalArgumentException(String.format("flagBits: 0x%08x (unknown required bits 0x%04x set)",
                    flags, unknown));
        }
    }

    static ByteBuf encode(ByteBufAllocator alloc, int requestId, int responseTo, int flags, BsonDocument body,
            List<DocumentSequence> sequences) {
        checkFlags(flags);
        ByteBuf out = alloc.buffer(estimateSize(body, sequences));
        try {
            int start = out.writerIndex();
            MessageHeader.write(out, 0, requestId, responseTo, OpCode.OP_MSG.code());
            out.writeIntLE(flags);
            out.writeByte(0);
            WireBson.writeDocument(out, body);
            for (DocumentSequence sequence : sequences) {
                out.writeByte(1);
                int sizeIndex = out.writerIndex();
                out.writeIntLE(0);
                WireBson.writeCString(out, sequence.identifier());
                sequence.writeDocuments(out);
                out.setIntLE(sizeIndex, out.writerIndex() - sizeIndex);
            }
            boolean checksum = (flags & OpMsg.CHECKSUM_PRESENT) != 0;
            int length = out.writerIndex() - start + (checksum ? 4 : 0);
            out.setIntLE(start, length);
            if (checksum) {
                out.writeIntLE(OpMsgChecksum.compute(out, start, length - 4));
            }
            return out;
        } catch (RuntimeException | Error e) {
            out.release();
            throw e;
        }
    }

    private static int estimateSize(BsonDocument body, List<DocumentSequence> sequences) {
        long size = OpMsg.SECTIONS_OFFSET + 1 + 4 + (body instanceof RawBsonDocument raw ? raw.getByteBuffer().remaining() : 256);
        for (DocumentSequence sequence : sequences) {
            size += 1 + 4 + sequence.identifier().length() * 3L + 1 + sequence.encodedLength();
        }
        return (int) Math.min(size, Integer.MAX_VALUE - 8);
    }
}
