package dev.sluice.server.client;

import dev.sluice.server.registry.ConnectionRegistry;
import dev.sluice.server.wire.ClientCompression;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Writes replies to one client in the form its request used (OP_MSG, or OP_REPLY for OP_QUERY).
 * Frames go out plain: once the client compresses, the pipeline compresses them ({@link ClientCompression})
 * and counts their bytes as on the socket. Stateless (the session keeps its reply ids): an idle client
 * holds no writer of its own. Called on the connection's event loop.
 */
final class ReplyWriter {
    private ReplyWriter() {
    }

    /**
     * Encodes and writes a reply document with requestId {@code id}; an error reply ({@code ok: 0}) is
     * counted by its code for {@code connector}, and its size told to {@code traffic} (null: the pipeline's
     * compression handler counts it).
     */
    static ChannelFuture reply(ChannelHandlerContext ctx, ConnectionRegistry registry, String connector,
                               Request request, int id, BsonDocument doc, int flags, ClientCompression.Traffic traffic) {
        countError(registry, connector, doc);
        ByteBuf frame = encode(ctx, request, id, doc, flags);
        if (traffic != null) {
            traffic.bytesOut(frame.readableBytes());
        }
        return ctx.writeAndFlush(frame);
    }

    /**
     * Writes a forwarded reply with no future to listen to (nothing is allocated per reply for it): a write that
     * fails reaches the session's {@code exceptionCaught}, which closes the connection, as for any I/O error.
     */
    static void writeForwarded(ChannelHandlerContext ctx, ByteBuf frame) {
        ctx.writeAndFlush(frame, ctx.voidPromise());
    }

    private static ByteBuf encode(ChannelHandlerContext ctx, Request request, int id, BsonDocument doc, int flags) {
        if (request.form() == Request.Form.QUERY) {
            return LegacyReplies.opReply(ctx.alloc(), id, request.requestId(), doc);
        }
        return OpMsg.encode(ctx.alloc(), id, request.requestId(), flags, doc);
    }

    private static void countError(ConnectionRegistry registry, String connector, BsonDocument doc) {
        BsonValue ok = doc.get("ok");
        if (ok != null && ok.isNumber() && ok.asNumber().doubleValue() == 0) {
            BsonValue code = doc.get("code");
            registry.errorReplied(connector, code != null && code.isNumber() ? code.asNumber().intValue() : 0);
        }
    }
}
