package dev.sluice.bench.proxy;

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
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A cluster {@code rttMicros} away, on loopback: a relay that delays every byte by half the round trip in each
 * direction, and a new connection by one round trip (the TCP handshake to a remote host), so that a client
 * pays the network's cost for each connect and each request, as a Lambda does against a remote cluster.
 */
public final class DelayRelay implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel server;

    private DelayRelay(EventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
    }

    /** Starts on a free loopback port, relaying to {@code upstream}. */
    public static DelayRelay start(InetSocketAddress upstream, long rttMicros) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new Frontend(upstream, rttMicros));
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        return new DelayRelay(group, server);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Frontend extends ChannelInboundHandlerAdapter {
        private final InetSocketAddress upstream;
        private final long rttMicros;

        Frontend(InetSocketAddress upstream, long rttMicros) {
            this.upstream = upstream;
            this.rttMicros = rttMicros;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel inbound = ctx.channel();
            // the TCP handshake with a host one round trip away
            inbound.eventLoop().schedule(() -> new Bootstrap().group(inbound.eventLoop()).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new Pipe(inbound, rttMicros / 2))
                    .connect(upstream).addListener((ChannelFutureListener) f -> {
                        if (!f.isSuccess()) {
                            inbound.close();
                            return;
                        }
                        inbound.pipeline().replace(this, "pipe", new Pipe(f.channel(), rttMicros / 2));
                        inbound.config().setAutoRead(true);
                    }), rttMicros, TimeUnit.MICROSECONDS);
        }
    }

    /** Copies what one channel reads to {@code peer}, each read delayed by the one-way latency. */
    private static final class Pipe extends ChannelInboundHandlerAdapter {
        private final Channel peer;
        private final long oneWayMicros;

        Pipe(Channel peer, long oneWayMicros) {
            this.peer = peer;
            this.oneWayMicros = oneWayMicros;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.executor().schedule(() -> {
                if (peer.isActive()) {
                    peer.writeAndFlush(msg, peer.voidPromise());
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }, oneWayMicros, TimeUnit.MICROSECONDS);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ctx.executor().schedule(() -> {
                if (peer.isActive()) {
                    peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                }
            }, oneWayMicros, TimeUnit.MICROSECONDS);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
