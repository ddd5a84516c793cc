package dev.sluice.server.testing;

import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;

/**
 * The replies of {@link FastMongod}, encoded once: each is the BSON body of an OP_MSG reply (or the
 * document of an OP_REPLY), copied behind a fresh header per request. Nothing is built per request
 * but the 21 bytes of header, flags and section kind.
 */
final class FastMongodReplies {
    static final int OP_REPLY = 1;
    static final int OP_QUERY = 2004;
    static final int OP_MSG = 2013;

    final byte[] hello;
    final byte[] isMaster;
    final byte[] find;
    final byte[] ok;
    /** {@code {n: i, ok: 1}} for i below 64, encoded once. */
    private final byte[][] inserted = new byte[64][];

    FastMongodReplies(int maxWireVersion) {
        hello = bytes(handshake("isWritablePrimary", maxWireVersion));
        isMaster = bytes(handshake("ismaster", maxWireVersion));
        BsonDocument item = new BsonDocument("_id", new BsonInt32(1)).append("name", new BsonString("tea"))
                .append("qty", new BsonInt32(2));
        find = bytes(new BsonDocument("cursor", new BsonDocument("firstBatch", new BsonArray(java.util.List.of(item)))
                .append("id", new BsonInt64(0)).append("ns", new BsonString("bench.items")))
                .append("ok", new BsonDouble(1)));
        ok = bytes(okDocument());
        for (int i = 0; i < inserted.length; i++) {
            inserted[i] = insertReply(i);
        }
    }

    /** An insert's reply body, {@code {n: count, ok: 1}}. */
    byte[] inserted(int count) {
        return count >= 0 && count < inserted.length ? inserted[count] : insertReply(count);
    }

    private static byte[] insertReply(int count) {
        return bytes(new BsonDocument("n", new BsonInt32(count)).append("ok", new BsonDouble(1)));
    }

    static BsonDocument okDocument() {
        return new BsonDocument("ok", new BsonDouble(1));
    }

    /** A standalone mongod's handshake reply; no topologyVersion, so drivers poll instead of streaming. */
    private static BsonDocument handshake(String primaryField, int maxWireVersion) {
        return new BsonDocument(primaryField, BsonBoolean.TRUE)
                .append("maxBsonObjectSize", new BsonInt32(16 * 1024 * 1024))
                .append("maxMessageSizeBytes", new BsonInt32(48_000_000))
                .append("maxWriteBatchSize", new BsonInt32(100_000))
                .append("localTime", new BsonDateTime(System.currentTimeMillis()))
                .append("logicalSessionTimeoutMinutes", new BsonInt32(30))
                .append("connectionId", new BsonInt32(1))
                .append("minWireVersion", new BsonInt32(0))
                .append("maxWireVersion", new BsonInt32(maxWireVersion))
                .append("readOnly", BsonBoolean.FALSE)
                .append("ok", new BsonDouble(1));
    }

    /** The BSON bytes of {@code doc}, taken from an encoded OP_MSG (header, flags and kind byte dropped). */
    static byte[] bytes(BsonDocument doc) {
        ByteBuf frame = OpMsg.encode(UnpooledByteBufAllocator.DEFAULT, 0, 0, 0, doc);
        try {
            byte[] b = new byte[frame.readableBytes() - 21];
            frame.getBytes(frame.readerIndex() + 21, b);
            return b;
        } finally {
            frame.release();
        }
    }

    /** An OP_MSG reply to {@code responseTo} whose body is {@code body}. */
    static ByteBuf opMsg(ByteBufAllocator alloc, int requestId, int responseTo, byte[] body) {
        int length = 21 + body.length;
        ByteBuf out = alloc.buffer(length);
        out.writeIntLE(length).writeIntLE(requestId).writeIntLE(responseTo).writeIntLE(OP_MSG)
                .writeIntLE(0).writeByte(0).writeBytes(body);
        return out;
    }

    /** An OP_REPLY (to a legacy OP_QUERY handshake) holding one document. */
    static ByteBuf opReply(ByteBufAllocator alloc, int requestId, int responseTo, byte[] document) {
        int length = 36 + document.length;
        ByteBuf out = alloc.buffer(length);
        out.writeIntLE(length).writeIntLE(requestId).writeIntLE(responseTo).writeIntLE(OP_REPLY)
                .writeIntLE(0).writeLongLE(0).writeIntLE(0).writeIntLE(1).writeBytes(document);
        return out;
    }
}
