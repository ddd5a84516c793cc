package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;

import java.util.ArrayList;
import java.util.List;

/**
 * A legacy OP_REPLY (opcode 1): the answer to an OP_QUERY. Sluice encodes it to answer a legacy
 * handshake and parses it on the upstream side and in tests.
 *
 * <p>Immutable; holds copies of the documents, never the frame.
 */
public final class OpReply {

    /** responseFlags bit 1: the query failed; the single document is {@code {$err: ...}}. */
    public static final int QUERY_FAILURE = 1 << 1;
    /** responseFlags bit 3: the server supports awaitData (mongod always sets it). */
    public static final int AWAIT_CAPABLE = 1 << 3;

    private static final int FLAGS_OFFSET = MessageHeader.LENGTH;
    /** Header, responseFlags, cursorId, startingFrom, numberReturned. */
    static final int MIN_LENGTH = FLAGS_OFFSET + 4 + 8 + 4 + 4;

    private final int requestId;
    private final int responseTo;
    private final int responseFlags;
    private final long cursorId;
    private final int startingFrom;
    private final List<RawBsonDocument> documents;

    private OpReply(int requestId, int responseTo, int responseFlags, long cursorId, int startingFrom,
            List<RawBsonDocument> documents) {
        this.requestId = requestId;
        this.responseTo = responseTo;
        this.responseFlags = responseFlags;
        this.cursorId = cursorId;
        this.startingFrom = startingFrom;
        this.documents = List.copyOf(documents);
    }

    /** Frames an OP_REPLY holding {@code docs}. The caller owns the result. */
    public static ByteBuf encode(ByteBufAllocator alloc, int requestId, int responseTo, int responseFlags,
            long cursorId, int startingFrom, List<? extends BsonDocument> docs) {
        ByteBuf out = alloc.buffer(MIN_LENGTH + 256 * Math.max(docs.size(), 1));
        try {
            int start = out.writerIndex();
            MessageHeader.write(out, 0, requestId, responseTo, OpCode.OP_REPLY.code());
            out.writeIntLE(responseFlags);
            out.writeLongLE(cursorId);
            out.writeIntLE(startingFrom);
            out.writeIntLE(docs.size());
            for (BsonDocument doc : docs) {
                WireBson.writeDocument(out, doc);
            }
            out.setIntLE(start, out.writerIndex() - start);
            return out;
        } catch (RuntimeException | Error e) {
            out.release();
            throw e;
        }
    }

    /**
     * Parses and validates the OP_REPLY frame held by {@code frame}'s readable bytes. Does not
     * change the frame's indexes nor release it.
     *
     * @throws WireProtocolException when the frame is not a valid OP_REPLY
     */
    public static OpReply parse(ByteBuf frame) {
        MessageHeader header = MessageHeader.readFrame(frame, OpCode.OP_REPLY, MIN_LENGTH);
        int requestId = header.requestId();
        int start = frame.readerIndex();
        int end = start + header.messageLength();
        int index = start + FLAGS_OFFSET;
        int responseFlags = frame.getIntLE(index);
        long cursorId = frame.getLongLE(index + 4);
        int startingFrom = frame.getIntLE(index + 12);
        int numberReturned = frame.getIntLE(index + 16);
        index += 20;
        int maxDocuments = (end - index) / WireBson.MIN_DOCUMENT_LENGTH;
        if (numberReturned < 0 || numberReturned > maxDocuments) {
            throw WireProtocolException.fatal(requestId, "OP_REPLY numberReturned: " + numberReturned
                    + " (expected: 0 to " + maxDocuments + ", what the message's size allows)");
        }
        List<RawBsonDocument> documents = new ArrayList<>(numberReturned);
        for (int i = 0; i < numberReturned; i++) {
            String what = "OP_REPLY document #" + i;
            int length = WireBson.documentLength(frame, index, end, requestId, what, "message");
            documents.add(WireBson.readDocument(frame, index, length, requestId, what));
            index += length;
        }
        if (index != end) {
            throw WireProtocolException.fatal(requestId, "OP_REPLY has " + (end - index) + " bytes after its "
                    + numberReturned + " documents (expected: 0)");
        }
        return new OpReply(requestId, header.responseTo(), responseFlags, cursorId, startingFrom, documents);
    }

    public int requestId() {
        return requestId;
    }

    public int responseTo() {
        return responseTo;
    }

    public int responseFlags() {
        return responseFlags;
    }

    public long cursorId() {
        return cursorId;
    }

    public int startingFrom() {
        return startingFrom;
    }

    public int numberReturned() {
        return documents.size();
    }

    /** The documents, in wire order (immutable). */
    public List<RawBsonDocument> documents() {
        return documents;
    }

    @Override
    public String toString() {
        return "OpReply{requestId=" + requestId + ", responseTo=" + responseTo + ", responseFlags=0x"
                + Integer.toHexString(responseFlags) + ", cursorId=" + cursorId + ", documents=" + documents.size() + '}';
    }
}
