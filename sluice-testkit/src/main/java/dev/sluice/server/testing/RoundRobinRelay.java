package dev.sluice.server.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A layer 4 load balancer for tests: each accepted TCP connection is relayed, bytes unchanged, to the next backend
 * port in turn (round robin), as an AWS NLB or HAProxy in TCP mode spreads connections over several mongos.
 */
public final class RoundRobinRelay implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final List<Integer> backends;
    private final AtomicInteger next = new AtomicInteger();

    private RoundRobinRelay(List<Integer> backends) throws InterruptedException {
        this.backends = List.copyOf(backends);
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel inbound) {
                        inbound.pipeline().addLast(new Front());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    /** Relays to {@code backendPorts} on 127.0.0.1, one connection to each in turn. */
    public static RoundRobinRelay start(List<Integer> backendPorts) throws InterruptedException {
        return new RoundRobinRelay(backendPorts);
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Connects each accepted connection to its backend, then copies bytes both ways until either side closes. */
    private final class Front extends ChannelInboundHandlerAdapter {
        private Channel outbound;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel inbound = ctx.channel();
            int port = backends.get(Math.floorMod(next.getAndIncrement(), backends.size()));
            new Bootstrap().group(inbound.eventLoop()).channel(NioSocketChannel.class)
                    .handler(new Copy(inbound))
                    .connect("127.0.0.1", port).addListener((ChannelFutureListener) f -> {
                        if (f.isSuccess()) {
                            outbound = f.channel();
                            inbound.config().setAutoRead(true);
                        } else {
                            inbound.close();
                        }
                    });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            outbound.writeAndFlush(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (outbound != null) {
                outbound.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The backend side: what the backend sends goes to the client connection. */
    private static final class Copy extends ChannelInboundHandlerAdapter {
        private final Channel inbound;

        Copy(Channel inbound) {
            this.inbound = inbound;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            inbound.writeAndFlush(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inbound.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
