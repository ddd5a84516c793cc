package dev.sluice.server.client;

import dev.sluice.server.wire.OpMsg;
import dev.sluice.server.wire.OpQuery;
import dev.sluice.server.wire.OpReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.List;

/** Translation between legacy OP_QUERY commands / OP_REPLY and OP_MSG, for old clients. */
final class LegacyReplies {
    /** OP_REPLY flag: the server supports awaitData. */
    private static final int AWAIT_CAPABLE = 8;

    private LegacyReplies() {
    }

    static ByteBuf opReply(ByteBufAllocator alloc, int requestId, int responseTo, BsonDocument doc) {
        return OpReply.encode(alloc, requestId, responseTo, AWAIT_CAPABLE, 0L, 0, List.of(doc));
    }

    /** An OP_QUERY command as the equivalent OP_MSG (same requestId), with $db and $readPreference. */
    static ByteBuf toOpMsg(OpQuery query, ByteBufAllocator alloc) {
        BsonDocument body = withDatabase(query.commandDocument(), query.database());
        BsonValue readPreference = query.readPreference();
        if (readPreference != null) {
            body.append("$readPreference", readPreference);
        }
        return OpMsg.encode(alloc, query.requestId(), 0, 0, body);
    }

    /** The command with {@code $db} added, as it is forwarded. */
    static BsonDocument withDatabase(BsonDocument command, String database) {
        BsonDocument body = new BsonDocument();
        for (var e : command.entrySet()) {
            body.append(e.getKey(), e.getValue());
        }
        return body.append("$db", new BsonString(database));
    }

    /** An OP_MSG reply as OP_REPLY (one document). */
    static ByteBuf toOpReply(ByteBuf opMsgReply, ByteBufAllocator alloc) {
        OpMsg msg = OpMsg.parse(opMsgReply);
        return OpReply.encode(alloc, msg.requestId(), msg.responseTo(), AWAIT_CAPABLE, 0L, 0, List.of(msg.body()));
    }
}
