package dev.sluice.bench.proxy;

import dev.sluice.server.net.Transport;
import dev.sluice.server.wire.FrameBudget;
import dev.sluice.server.wire.FrameDecoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;

import java.net.InetSocketAddress;

/**
 * The floor under an idle client's memory: the least a Netty server speaking the wire protocol holds per
 * connection, with Sluice's transport (epoll when available) and child options (TCP_NODELAY, keep-alive, one
 * shared receive allocator). Each connection's pipeline is a {@link FrameDecoder} and one shared responder that
 * answers every request with a fixed {@code ok: 1} reply (a hello, then an empty find batch), so it holds no
 * state of its own. {@link ConnectionStorm} {@code --target floor} runs it as a child JVM with Sluice's JVM
 * options and reports its per-connection heap next to Sluice's.
 *
 * <pre>java -cp sluice-bench/target/benchmarks.jar dev.sluice.bench.proxy.IdleFloor [--listen 127.0.0.1:0]</pre>
 * prints {@code floor ready HOST:PORT} once bound.
 */
public final class IdleFloor {
    private IdleFloor() {
    }

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "IdleFloor [--listen 127.0.0.1:0]", "listen");
        String listen = a.string("listen", "127.0.0.1:0");
        int colon = listen.lastIndexOf(':');
        InetSocketAddress bind = new InetSocketAddress(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1)));
        Transport transport = Transport.detect(); // Sluice's: -Dsluice.transport as for Sluice
        EventLoopGroup group = transport.newGroup(0);
        Class<? extends ServerChannel> channel = transport.serverChannel();
        ChannelHandler responder = new Responder();
        FrameBudget budget = new FrameBudget(Long.MAX_VALUE, (holder, bytes, max) -> { }); // one per server, as Sluice's
        AdaptiveRecvByteBufAllocator receive = new AdaptiveRecvByteBufAllocator();
        Channel server = new ServerBootstrap().group(group).channel(channel)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, receive)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new FrameDecoder(FrameDecoder.DEFAULT_MAX_MESSAGE_SIZE_BYTES, budget, 0, null,
                                System::nanoTime), responder);
                    }
                }).bind(bind).sync().channel();
        InetSocketAddress bound = (InetSocketAddress) server.localAddress();
        System.out.println("floor ready " + bound.getHostString() + ":" + bound.getPort() + " (transport "
                + transport.name() + ")");
        server.closeFuture().sync();
    }

    /** Answers each OP_MSG with a fixed reply; stateless, shared by every connection. */
    @ChannelHandler.Sharable
    private static final class Responder extends ChannelInboundHandlerAdapter {
        private final byte[] reply = WireFrames.encode(new BsonDocument("ok", new BsonInt32(1))
                .append("isWritablePrimary", BsonBoolean.TRUE).append("maxWireVersion", new BsonInt32(17))
                .append("cursor", new BsonDocument("firstBatch", new BsonArray()).append("id", new BsonInt64(0))
                        .append("ns", new BsonString("bench.items"))));

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            int requestId;
            try {
                requestId = frame.getIntLE(frame.readerIndex() + 4);
            } finally {
                frame.release();
            }
            ByteBuf out = ctx.alloc().buffer(reply.length).writeBytes(reply);
            out.setIntLE(8, requestId); // responseTo
            ctx.writeAndFlush(out, ctx.voidPromise());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
