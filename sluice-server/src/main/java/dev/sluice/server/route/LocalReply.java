package dev.sluice.server.route;

import dev.sluice.server.upstream.BackendConnection;
import dev.sluice.server.wire.MessageHeader;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;

import java.util.concurrent.Executor;

/**
 * A reply the router gives itself instead of the upstream's (a refused transaction, a replayed
 * retryable write), framed as the upstream's would be: an OP_MSG answering the request's id.
 */
final class LocalReply {
    private LocalReply() {
    }

    /** {ok: 0, errmsg, code, codeName}, as mongod answers. */
    static BsonDocument error(int code, String codeName, String errmsg) {
        return new BsonDocument("ok", new BsonDouble(0))
                .append("errmsg", new BsonString(errmsg))
                .append("code", new BsonInt32(code))
                .append("codeName", new BsonString(codeName));
    }

    /**
     * Answers {@code request} with {@code body} (the request's frame is released). The callback runs
     * on the request's event loop after this returns, never inside the caller's {@code forward}.
     */
    static void send(ForwardRequest request, ForwardCallback callback, BsonDocument body) {
        ByteBuf frame = request.frame();
        int responseTo = MessageHeader.requestIdOf(frame);
        ByteBuf reply = OpMsg.encode(frame.alloc(), BackendConnection.nextRequestId(), responseTo, 0, body);
        frame.release();
        if (request.caller() instanceof Executor loop) {
            loop.execute(() -> callback.onReply(reply, false));
        } else {
            callback.onReply(reply, false);
        }
    }
}
