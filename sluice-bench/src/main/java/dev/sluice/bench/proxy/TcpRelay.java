package dev.sluice.bench.proxy;

import dev.sluice.server.net.Transport;
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

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * The floor any proxy pays: a plain Netty TCP relay. Each accepted client gets one upstream socket,
 * opened on the client's own event loop; bytes are copied both ways untouched, flushed once per read
 * batch, and a side stops reading while the other side is not writable (autoRead backpressure).
 * Same transport as Sluice ({@link Transport#detect()}: io_uring where the kernel allows it, else epoll, else NIO;
 * {@code -Dsluice.transport} chooses, as for Sluice), with Netty's default thread count (2 x cores).
 *
 * <p>{@code java -cp benchmarks.jar dev.sluice.bench.proxy.TcpRelay --listen 127.0.0.1:0
 * --upstream 127.0.0.1:27017} prints {@code relay ready HOST:PORT} and relays until killed.
 */
public final class TcpRelay implements AutoCloseable {
    private static final Transport TRANSPORT = Transport.detect();
    private final EventLoopGroup boss = TRANSPORT.newGroup(1);
    private final EventLoopGroup workers;
    private final Channel server;

    private TcpRelay(InetSocketAddress listen, InetSocketAddress upstream, int threads) throws InterruptedException {
        workers = TRANSPORT.newGroup(threads);
        server = new ServerBootstrap().group(boss, workers).channel(TRANSPORT.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new Frontend(upstream));
                    }
                }).bind(listen).sync().channel();
    }

    /** Starts a relay; {@code threads} 0 means Netty's default. */
    public static TcpRelay start(InetSocketAddress listen, InetSocketAddress upstream, int threads)
            throws InterruptedException {
        return new TcpRelay(listen, upstream, threads);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        boss.shutdownGracefully();
        workers.shutdownGracefully();
    }

    /** The client side: connects upstream on its own event loop, then relays. */
    private static final class Frontend extends ChannelInboundHandlerAdapter {
        private final InetSocketAddress upstream;
        private Channel outbound;

        Frontend(InetSocketAddress upstream) {
            this.upstream = upstream;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel inbound = ctx.channel();
            Bootstrap b = new Bootstrap().group(inbound.eventLoop()).channel(TRANSPORT.clientChannel())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new Pipe(inbound));
            b.connect(upstream).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    outbound = f.channel();
                    ctx.pipeline().addLast(new Pipe(outbound));
                    ctx.pipeline().remove(this);
                    inbound.config().setAutoRead(true);
                } else {
                    inbound.close();
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Copies what one channel reads to {@code peer}; pauses reading while {@code peer} is not writable. */
    private static final class Pipe extends ChannelInboundHandlerAdapter {
        private final Channel peer;

        Pipe(Channel peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            peer.write(msg, peer.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            peer.flush();
            if (!peer.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            // this channel drained: let the peer, which writes to it, read again
            if (ctx.channel().isWritable()) {
                peer.config().setAutoRead(true);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (peer.isActive()) {
                peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
        InetSocketAddress upstream = null;
        int threads = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--listen" -> listen = Args.hostPort(args[++i]);
                case "--upstream" -> upstream = Args.hostPort(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> upstream = null;
            }
        }
        if (upstream == null) {
            System.err.println("usage: TcpRelay --listen HOST:PORT --upstream HOST:PORT [--threads 0]");
            System.exit(2);
        }
        TcpRelay relay = start(listen, upstream, threads);
        Runtime.getRuntime().addShutdownHook(new Thread(relay::close));
        System.out.println("relay ready " + relay.address().getHostString() + ":" + relay.address().getPort());
        new CountDownLatch(1).await();
    }
}
