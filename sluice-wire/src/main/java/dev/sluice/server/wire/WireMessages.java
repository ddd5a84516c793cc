package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;

import java.util.List;

/** Ready-made messages: the error reply in the form (OP_MSG or OP_REPLY) of the request. */
public final class WireMessages {

    private WireMessages() {
    }

    /** {@code {ok: 0.0, errmsg, code, codeName}}, as mongod reports a failed command. */
    public static BsonDocument errorDocument(int code, String codeName, String errmsg) {
        return new BsonDocument("ok", new BsonDouble(0))
                .append("errmsg", new BsonString(errmsg))
                .append("code", new BsonInt32(code))
                .append("codeName", new BsonString(codeName));
    }

    /** {@link #errorReply(ByteBufAllocator, int, int, OpCode, int, String, String)} with a fresh requestId. */
    public static ByteBuf errorReply(ByteBufAllocator alloc, int responseTo, OpCode requestForm, int code,
            String codeName, String errmsg) {
        return errorReply(alloc, RequestIds.next(), responseTo, requestForm, code, codeName, errmsg);
    }

    /**
     * Frames an error reply to the request {@code responseTo}: an OP_REPLY (flags 0, cursorId 0,
     * one document) when the request was an OP_QUERY, an OP_MSG (flags 0) otherwise. The caller owns
     * the result.
     */
    public static ByteBuf errorReply(ByteBufAllocator alloc, int requestId, int responseTo, OpCode requestForm,
            int code, String codeName, String errmsg) {
        BsonDocument error = errorDocument(code, codeName, errmsg);
        if (requestForm == OpCode.OP_QUERY) {
            return OpReply.encode(alloc, requestId, responseTo, 0, 0L, 0, List.of(error));
        }
        return OpMsg.encode(alloc, requestId, responseTo, 0, error);
    }
}
