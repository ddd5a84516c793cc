package dev.sluice.server.testing;

import dev.sluice.server.wire.DocumentSequence;
import dev.sluice.server.wire.OpMsg;
import dev.sluice.server.wire.OpQuery;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.bson.BsonValue;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers one frame at a time from {@link FastMongodReplies}. The hot path (find, insert, hello, ping) reads
 * the command name (and an insert's document count) in place ({@link FastMongodScan}) and writes a reply encoded
 * once, with the channel's void promise: nothing is allocated on the heap per request but pooled buffers.
 * Replies are written as they come and flushed once per read batch.
 */
@ChannelHandler.Sharable
final class FastMongodHandler extends ChannelInboundHandlerAdapter {
    private static final int MORE_TO_COME = 1 << 1;

    private final FastMongodReplies replies;
    private final FastMongod.Counters counters;
    private final AtomicInteger replyIds = new AtomicInteger();

    FastMongodHandler(FastMongodReplies replies, FastMongod.Counters counters) {
        this.replies = replies;
        this.counters = counters;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        counters.opened();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        counters.closed();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            int start = frame.readerIndex();
            int requestId = frame.getIntLE(start + 4);
            int opCode = frame.getIntLE(start + 12);
            counters.request();
            if (opCode == FastMongodReplies.OP_MSG) {
                int flags = frame.getIntLE(start + 16);
                ByteBuf reply = FastMongodReplies.opMsg(ctx.alloc(), nextId(), requestId, answer(frame));
                if ((flags & MORE_TO_COME) != 0) {
                    reply.release();
                } else {
                    ctx.write(reply, ctx.voidPromise());
                }
            } else if (opCode == FastMongodReplies.OP_QUERY) {
                String name = OpQuery.parse(frame).commandName();
                byte[] doc = "isMaster".equalsIgnoreCase(name) || "hello".equals(name) ? replies.isMaster : replies.ok;
                ctx.write(FastMongodReplies.opReply(ctx.alloc(), nextId(), requestId, doc), ctx.voidPromise());
            } else {
                ctx.close();
            }
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /** The reply body; the common shape (body first) is matched in place, without a String or a parse. */
    private byte[] answer(ByteBuf frame) {
        if (FastMongodScan.bodyFirst(frame)) {
            if (FastMongodScan.commandIs(frame, "find")) {
                return replies.find;
            }
            if (FastMongodScan.commandIs(frame, "insert")) {
                int n = FastMongodScan.insertedCount(frame);
                return replies.inserted(n >= 0 ? n : insertedCount(frame));
            }
            if (FastMongodScan.commandIs(frame, "hello")) {
                return replies.hello;
            }
            if (FastMongodScan.commandIs(frame, "isMaster") || FastMongodScan.commandIs(frame, "ismaster")) {
                return replies.isMaster;
            }
            return replies.ok; // ping, endSessions and anything else
        }
        String name = OpMsg.parse(frame).commandName();
        if (name == null) {
            return replies.ok;
        }
        return switch (name) {
            case "find" -> replies.find;
            case "hello" -> replies.hello;
            case "isMaster", "ismaster" -> replies.isMaster;
            case "insert" -> replies.inserted(insertedCount(frame));
            default -> replies.ok;
        };
    }

    private static int insertedCount(ByteBuf frame) {
        OpMsg msg = OpMsg.parse(frame);
        DocumentSequence docs = msg.sequence("documents");
        if (docs != null) {
            return docs.count();
        }
        BsonValue array = msg.body().get("documents");
        return array != null && array.isArray() ? array.asArray().size() : 0;
    }

    private int nextId() {
        return replyIds.incrementAndGet() & Integer.MAX_VALUE;
    }
}
