package dev.sluice.server.client;

import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.registry.ConnectionRegistry;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Writes replies to one client in the form its request used (OP_MSG, or OP_REPLY for OP_QUERY).
 * Frames go out plain: the pipeline compresses them ({@link dev.sluice.server.wire.ClientCompression})
 * and counts their bytes as on the socket. Event-loop confined.
 */
final class ReplyWriter {
    private final ChannelHandlerContext ctx;
    private final ConnectionEntry entry;
    private final ConnectionRegistry registry;
    private int replyIds;

    ReplyWriter(ChannelHandlerContext ctx, ConnectionEntry entry, ConnectionRegistry registry) {
        this.ctx = ctx;
        this.entry = entry;
        this.registry = registry;
    }

    /** Encodes and writes a reply document (an error reply, {@code ok: 0}, is counted by its code). */
    ChannelFuture reply(Request request, BsonDocument doc, int flags) {
        countError(doc);
        return write(encode(request, nextReplyId(), doc, flags));
    }

    /** As {@link #reply}, returning the reply's requestId (exhaust streams answer to it). */
    int replyWithId(Request request, BsonDocument doc, int flags) {
        countError(doc);
        int id = nextReplyId();
        write(encode(request, id, doc, flags));
        return id;
    }

    ChannelFuture write(ByteBuf frame) {
        return ctx.writeAndFlush(frame);
    }

    /**
     * Writes a forwarded reply with no future to listen to (nothing is allocated per reply for it): a write that
     * fails reaches the session's {@code exceptionCaught}, which closes the connection, as for any I/O error.
     */
    void writeForwarded(ByteBuf frame) {
        ctx.writeAndFlush(frame, ctx.voidPromise());
    }

    private ByteBuf encode(Request request, int id, BsonDocument doc, int flags) {
        if (request.form() == Request.Form.QUERY) {
            return LegacyReplies.opReply(ctx.alloc(), id, request.requestId(), doc);
        }
        return OpMsg.encode(ctx.alloc(), id, request.requestId(), flags, doc);
    }

    private void countError(BsonDocument doc) {
        BsonValue ok = doc.get("ok");
        if (ok != null && ok.isNumber() && ok.asNumber().doubleValue() == 0) {
            BsonValue code = doc.get("code");
            registry.errorReplied(entry.connector(), code != null && code.isNumber() ? code.asNumber().intValue() : 0);
        }
    }

    private int nextReplyId() {
        replyIds = (replyIds + 1) & Integer.MAX_VALUE;
        return replyIds;
    }
}
