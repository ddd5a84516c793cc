package dev.sluice.server.testing;

import dev.sluice.server.wire.DocumentSequence;
import dev.sluice.server.wire.OpMsg;
import dev.sluice.server.wire.OpQuery;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonValue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers one frame at a time from {@link FastMongodReplies}. The hot path (find, hello, ping) reads only
 * the command name from the frame; other commands are parsed (insert counts its documents).
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
                    ctx.write(reply);
                }
            } else if (opCode == FastMongodReplies.OP_QUERY) {
                String name = OpQuery.parse(frame).commandName();
                byte[] doc = "isMaster".equalsIgnoreCase(name) || "hello".equals(name) ? replies.isMaster : replies.ok;
                ctx.write(FastMongodReplies.opReply(ctx.alloc(), nextId(), requestId, doc));
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

    private byte[] answer(ByteBuf frame) {
        String name = commandName(frame);
        if (name == null) {
            return replies.ok;
        }
        return switch (name) {
            case "find" -> replies.find;
            case "hello" -> replies.hello;
            case "isMaster", "ismaster" -> replies.isMaster;
            case "insert" -> FastMongodReplies.bytes(new BsonDocument("n", new BsonInt32(insertedCount(frame)))
                    .append("ok", new BsonDouble(1)));
            default -> replies.ok; // ping, endSessions and anything else
        };
    }

    /** The first key of the body when the first section is the body (as drivers and Sluice send it). */
    private static String commandName(ByteBuf frame) {
        int start = frame.readerIndex();
        int end = frame.writerIndex();
        if (frame.getByte(start + 20) != 0) {
            return OpMsg.parse(frame).commandName();
        }
        int nameStart = start + 21 + 4 + 1;
        int nul = frame.indexOf(nameStart, end, (byte) 0);
        return nul < 0 ? null : frame.toString(nameStart, nul - nameStart, StandardCharsets.UTF_8);
    }

    private static int insertedCount(ByteBuf frame) {
        OpMsg msg = OpMsg.parse(frame);
        DocumentSequence docs = msg.sequence("documents");
        if (docs != null) {
            return docs.documents().size();
        }
        BsonValue array = msg.body().get("documents");
        return array != null && array.isArray() ? array.asArray().size() : 0;
    }

    private int nextId() {
        return replyIds.incrementAndGet() & Integer.MAX_VALUE;
    }
}
