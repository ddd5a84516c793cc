package dev.sluice.server.testing;

import dev.sluice.server.wire.DocumentSequence;
import dev.sluice.server.wire.FrameDecoder;
import dev.sluice.server.wire.OpMsg;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.bson.BsonDocument;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One member connection's link to the shared store (mongo-java-server over loopback). Commands go out in order
 * and the store answers them in order, so each reply completes the oldest pending command. Runs on the member
 * connection's event loop.
 *
 * <p>A command sent to the store is applied there whatever happens to the client connection that sent it, so
 * when that connection closes the link stays open until the store has answered every pending command
 * ({@link #closeWhenIdle}): the answer completes the set's record of a retryable write, and a retry on another
 * member finds it. Closing at once would lose answers to writes the store applied, and the record with them.
 */
final class BackendLink {
    private static final AtomicInteger REQUEST_IDS = new AtomicInteger();

    private final ChannelFuture connect;
    /** Touched on the link's event loop only. */
    private final Deque<CompletableFuture<BsonDocument>> pending = new ArrayDeque<>();
    /** Its client connection is gone: close once nothing is pending. Event loop only. */
    private boolean closing;

    BackendLink(EventLoop loop, InetSocketAddress store) {
        connect = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new FrameDecoder(FrameDecoder.DEFAULT_MAX_MESSAGE_SIZE_BYTES), new Replies());
                    }
                }).connect(store);
        connect.channel().closeFuture().addListener(f -> failPending());
    }

    /** Sends a command (its body already stripped of what the store does not know); completes with the reply body. */
    CompletableFuture<BsonDocument> send(BsonDocument body, List<DocumentSequence> sequences) {
        CompletableFuture<BsonDocument> reply = new CompletableFuture<>();
        connect.addListener(f -> {
            Channel ch = connect.channel();
            if (!f.isSuccess() || !ch.isActive()) {
                reply.completeExceptionally(new IOException("shared store unreachable", f.cause()));
                return;
            }
            pending.add(reply);
            ByteBuf out = OpMsg.encode(ch.alloc(), REQUEST_IDS.incrementAndGet(), 0, 0, body, sequences);
            ch.writeAndFlush(out).addListener(w -> {
                if (!w.isSuccess()) {
                    ch.close();
                }
            });
        });
        return reply;
    }

    /** Closes the link once the store has answered every command sent (at once when none is pending). */
    void closeWhenIdle() {
        Channel ch = connect.channel();
        ch.eventLoop().execute(() -> {
            closing = true;
            if (pending.isEmpty()) {
                ch.close();
            }
        });
    }

    private void failPending() {
        CompletableFuture<BsonDocument> next;
        while ((next = pending.poll()) != null) {
            next.completeExceptionally(new IOException("shared store connection closed"));
        }
    }

    private final class Replies extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            BsonDocument body;
            try {
                body = OpMsg.parse(frame).body();
            } catch (RuntimeException e) {
                ctx.close();
                return;
            } finally {
                frame.release();
            }
            CompletableFuture<BsonDocument> next = pending.poll();
            if (next != null) {
                next.complete(body);
            }
            if (closing && pending.isEmpty()) {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
