package dev.sluice.server.client;

import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import org.bson.BsonDocument;

/**
 * Writes replies to one client in the form its request used (OP_MSG, or OP_REPLY for OP_QUERY).
 * Frames go out plain: the pipeline compresses them ({@link dev.sluice.server.wire.ClientCompression})
 * and counts their bytes ({@link TrafficCounter}). Event-loop confined.
 */
final class ReplyWriter {
    private final ChannelHandlerContext ctx;
    private int replyIds;

    ReplyWriter(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Encodes and writes a reply document. */
    ChannelFuture reply(Request request, BsonDocument doc, int flags) {
        return write(encode(request, nextReplyId(), doc, flags));
    }

    /** As {@link #reply}, returning the reply's requestId (exhaust streams answer to it). */
    int replyWithId(Request request, BsonDocument doc, int flags) {
        int id = nextReplyId();
        write(encode(request, id, doc, flags));
        return id;
    }

    ChannelFuture write(ByteBuf frame) {
        return ctx.writeAndFlush(frame);
    }

    private ByteBuf encode(Request request, int id, BsonDocument doc, int flags) {
        if (request.form() == Request.Form.QUERY) {
            return LegacyReplies.opReply(ctx.alloc(), id, request.requestId(), doc);
        }
        return OpMsg.encode(ctx.alloc(), id, request.requestId(), flags, doc);
    }

    private int nextReplyId() {
        replyIds = (replyIds + 1) & Integer.MAX_VALUE;
        return replyIds;
    }
}
