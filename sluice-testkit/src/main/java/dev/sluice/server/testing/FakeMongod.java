package dev.sluice.server.testing;

import dev.sluice.server.wire.FrameDecoder;
import dev.sluice.server.wire.OpMsg;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny, fast fake mongod for tests: answers the handshake and a few commands from memory.
 * {@code {sleep: ms}} answers after ms; {@code {dropMidReply: 1}} writes half a reply and closes;
 * {@code {stall: 1}} never answers. Faults for whole workloads: {@link #slow} delays every reply but
 * the handshake's, {@link #dropEvery} cuts every n-th reply in half and closes its connection.
 * Counts its connections, so tests can see what the backend sees. For benchmarks, {@link #fast} starts
 * its fast mode ({@link FastMongod}): fixed replies, several event loops, none of the above.
 */
public final class FakeMongod implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final AtomicInteger current = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    /** Accepted connections, closed explicitly on close (an event loop shut down does not always close them). */
    private final io.netty.channel.group.ChannelGroup accepted =
            new io.netty.channel.group.DefaultChannelGroup(io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicInteger total = new AtomicInteger();
    private final Channel server;
    private final java.util.Queue<String> commands = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.Set<String> failNext = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicInteger compressedFrames = new AtomicInteger();
    /** find with a batchSize opens a cursor (ids unique across instances); getMore exhausts it. */
    private static final java.util.concurrent.atomic.AtomicLong cursorIds = new java.util.concurrent.atomic.AtomicLong(1000);
    private volatile dev.sluice.server.wire.Compressor compressor;
    private final AtomicInteger replies = new AtomicInteger();
    private volatile long slowMS;
    private volatile long slowHandshakeMS;
    /** A new connection's first hello is answered by closing the connection (connections already open work). */
    private volatile boolean refuseNewHandshakes;
    private volatile int dropEvery;
    /** Answers its handshake as a mongos with sessions (what Sluice forwards transactions to), unless told otherwise. */
    private volatile boolean sessions = true;
    /** Streams hello replies (topologyVersion, awaitable hello) like MongoDB 4.4+. */
    private volatile boolean streaming;
    private final org.bson.types.ObjectId processId = new org.bson.types.ObjectId();
    private final java.util.concurrent.atomic.AtomicLong topologyCounter = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicInteger replyIds = new AtomicInteger(1_000_000);
    /** Awaitable hellos waiting for a change or their maxAwaitTimeMS. */
    private final java.util.Set<Runnable> awaiting = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Set: answers hello as a member of this replica set instead of as a mongos. */
    private volatile Member member;
    /** Set: a mongos behind a load balancer (serviceId, cursors and transactions known only here). */
    private volatile LoadBalancedMongos balanced;

    /** How this fake answers hello as a replica set member. */
    private record Member(String setName, boolean primary, java.util.List<String> hosts) {
    }

    private FakeMongod(int port) throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new FrameDecoder(48_000_000), new Handler());
                    }
                }).bind("127.0.0.1", port).sync().channel();
    }

    public static FakeMongod start() throws InterruptedException {
        return new FakeMongod(0);
    }

    public static FakeMongod start(int port) throws InterruptedException {
        return new FakeMongod(port);
    }

    /**
     * The fast mode, for benchmarks: pre-encoded replies (standalone hello, one-document find, insert's n, ok for the
     * rest) on {@code threads} event loops, connection and request counters, no fault injection. Port 0 picks one.
     */
    public static FastMongod fast(String host, int port, int threads) throws InterruptedException {
        return FastMongod.start(host, port, threads);
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public String uri() {
        return "mongodb://127.0.0.1:" + port() + "/";
    }

    /** The next command of this name gets half a reply, then its connection is closed. */
    public void failNext(String commandName) {
        failNext.add(commandName);
    }

    /** Accept this compressor when a client offers it in its handshake. */
    public FakeMongod compression(dev.sluice.server.wire.Compressor c) {
        this.compressor = c;
        return this;
    }

    /** OP_COMPRESSED frames received. */
    public int compressedFrames() {
        return compressedFrames.get();
    }

    /** Names of the commands received, in arrival order. */
    public java.util.List<String> commands() {
        return java.util.List.copyOf(commands);
    }

    public int currentConnections() {
        return current.get();
    }

    public int peakConnections() {
        return peak.get();
    }

    public int totalConnections() {
        return total.get();
    }

    /** Delays every reply except the handshake's by {@code ms} (0: no delay). */
    public void slow(long ms) {
        slowMS = ms;
    }

    /** Delays the handshake's replies (hello, isMaster) by {@code ms}: a slow but healthy server. */
    public void slowHandshake(long ms) {
        slowHandshakeMS = ms;
    }

    /**
     * While on, a connection whose first message is a hello (or isMaster) is closed instead of answered, as a server
     * at its connection limit or a failCommand on hello with closeConnection would: connections already open (the
     * monitor's, pooled ones) keep working.
     */
    public void refuseNewHandshakes(boolean on) {
        refuseNewHandshakes = on;
    }

    /** Answers its handshake as a standalone without logical sessions (no msg: isdbgrid, no logicalSessionTimeoutMinutes). */
    public FakeMongod withoutSessions() {
        sessions = false;
        return this;
    }

    /**
     * Answers hello as a member of replica set {@code setName} (primary or secondary, listing {@code hosts}, with
     * sessions), instead of as a mongos; a secondary answers writes with NotWritablePrimary (10107). May be called
     * again to change role (a step down, an election).
     */
    public FakeMongod replicaSetMember(String setName, boolean primary, java.util.List<String> hosts) {
        member = new Member(setName, primary, java.util.List.copyOf(hosts));
        if (streaming) {
            topologyCounter.incrementAndGet();
            for (Runnable r : java.util.List.copyOf(awaiting)) {
                r.run();
            }
        }
        return this;
    }

    /**
     * Reports a topologyVersion and answers awaitable hellos (topologyVersion + maxAwaitTimeMS) when its role
     * changes or maxAwaitTimeMS passes, streaming them (moreToCome) when the request allows exhaust: what MongoDB
     * 4.4+ does for streaming monitors.
     */
    public FakeMongod streaming() {
        streaming = true;
        return this;
    }

    /**
     * Plays a mongos behind a load balancer: a hello with {@code loadBalanced: true} gets a {@code serviceId}, and
     * cursors (lasting {@code batches} getMores, one document per batch) and transactions are known only here.
     */
    public LoadBalancedMongos loadBalanced(int batches) {
        LoadBalancedMongos lb = new LoadBalancedMongos(batches);
        balanced = lb;
        return lb;
    }

    /** "127.0.0.1:PORT", as replica set members name each other. */
    public String hostAndPort() {
        return "127.0.0.1:" + port();
    }

    /** How many commands of this name were received. */
    public long count(String commandName) {
        return commands.stream().filter(commandName::equals).count();
    }

    /** Cuts every {@code n}-th reply (handshakes excepted) in half and closes its connection (0: never). */
    public void dropEvery(int n) {
        dropEvery = n;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.close().syncUninterruptibly();
        accepted.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final io.netty.util.AttributeKey<Boolean> ANSWERED =
            io.netty.util.AttributeKey.valueOf(FakeMongod.class, "answered");

    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            accepted.add(ctx.channel());
            int now = current.incrementAndGet();
            total.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            current.decrementAndGet();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            if (frame.getIntLE(frame.readerIndex() + 12) == dev.sluice.server.wire.OpCode.OP_COMPRESSED.code()) {
                compressedFrames.incrementAndGet();
                ByteBuf plain = dev.sluice.server.wire.OpCompressed.decompress(frame, 48_000_000, ctx.alloc());
                frame.release();
                frame = plain;
            }
            OpMsg request;
            try {
                request = OpMsg.parse(frame);
            } finally {
                frame.release();
            }
            BsonDocument body = request.body();
            String name = request.commandName();
            commands.add(name);
            boolean first = ctx.channel().attr(ANSWERED).getAndSet(Boolean.TRUE) == null;
            if (first && refuseNewHandshakes && (name.equals("hello") || name.equalsIgnoreCase("isMaster"))) {
                ctx.close();
                return;
            }
            BsonDocument reply = null;
            LoadBalancedMongos lb = balanced;
            if (lb != null && !name.equals("hello") && !name.equalsIgnoreCase("isMaster")) {
                reply = lb.answer(name, request.database(), body, cursorIds.incrementAndGet());
            }
            if (reply == null) {
                switch (name) {
                    case "hello", "isMaster", "ismaster" -> {
                        if (streaming && body.containsKey("topologyVersion") && body.containsKey("maxAwaitTimeMS")) {
                            awaitHello(ctx, request.requestId(), body.get("maxAwaitTimeMS").asNumber().longValue(),
                                    (request.flags() & OpMsg.EXHAUST_ALLOWED) != 0);
                            return;
                        }
                        reply = helloReply(body);
                    }
                    case "find" -> reply = new BsonDocument("cursor", new BsonDocument("id",
                                    new BsonInt64(body.containsKey("batchSize") ? cursorIds.incrementAndGet() : 0))
                            .append("ns", new BsonString(request.database() + "." + body.get("find").asString().getValue()))
                            .append("firstBatch", new BsonArray())).append("ok", new BsonDouble(1));
                    case "getMore" -> reply = new BsonDocument("cursor", new BsonDocument("id", new BsonInt64(0))
                            .append("ns", new BsonString(request.database() + "." + body.get("collection").asString().getValue()))
                            .append("nextBatch", new BsonArray())).append("ok", new BsonDouble(1));
                    case "insert", "update", "delete" -> reply = member != null && !member.primary()
                            ? new BsonDocument("ok", new BsonDouble(0)).append("errmsg", new BsonString("not primary"))
                                    .append("code", new BsonInt32(10107)).append("codeName", new BsonString("NotWritablePrimary"))
                            : new BsonDocument("n", new BsonInt32(
                            request.sequences().isEmpty() ? 1 : request.sequences().get(0).documents().size()))
                            .append("ok", new BsonDouble(1));
                    default -> reply = new BsonDocument("ok", new BsonDouble(1));
                }
            }
            ByteBuf out = OpMsg.encode(ctx.alloc(), 1, request.requestId(), 0, reply);
            boolean handshake = name.equals("hello") || name.equals("isMaster") || name.equals("ismaster");
            int every = dropEvery;
            boolean drop = !handshake && every > 0 && replies.incrementAndGet() % every == 0;
            if (body.containsKey("stall")) {
                out.release();
                return;
            }
            if (body.containsKey("dropMidReply") || drop || failNext.remove(name)) {
                ctx.writeAndFlush(out.retainedSlice(0, out.readableBytes() / 2)).addListener(f -> ctx.close());
                out.release();
                return;
            }
            long delay = handshake ? slowHandshakeMS : slowMS;
            if (body.containsKey("sleep") || delay > 0) {
                long ms = body.containsKey("sleep") ? body.get("sleep").asNumber().longValue() + delay : delay;
                ctx.executor().schedule(() -> ctx.writeAndFlush(out), ms, TimeUnit.MILLISECONDS);
                return;
            }
            ctx.writeAndFlush(out);
        }

        private BsonDocument helloReply(BsonDocument body) {
            BsonDocument reply = new BsonDocument("ismaster", BsonBoolean.TRUE)
                    .append("isWritablePrimary", BsonBoolean.TRUE)
                    .append("maxWireVersion", new BsonInt32(17)).append("minWireVersion", new BsonInt32(0))
                    .append("maxBsonObjectSize", new BsonInt32(16 * 1024 * 1024))
                    .append("compression", compressionReply(body));
            Member m = member;
            if (m != null) {
                BsonArray hosts = new BsonArray();
                m.hosts().forEach(h -> hosts.add(new BsonString(h)));
                reply.put("ismaster", BsonBoolean.valueOf(m.primary()));
                reply.put("isWritablePrimary", BsonBoolean.valueOf(m.primary()));
                reply.append("secondary", BsonBoolean.valueOf(!m.primary()))
                        .append("setName", new BsonString(m.setName())).append("hosts", hosts)
                        .append("me", new BsonString(hostAndPort()))
                        .append("logicalSessionTimeoutMinutes", new BsonInt32(30));
            } else if (sessions) {
                reply.append("msg", new BsonString("isdbgrid"))
                        .append("logicalSessionTimeoutMinutes", new BsonInt32(30));
            }
            LoadBalancedMongos lb = balanced;
            if (lb != null) {
                lb.hello(body, reply);
            }
            if (streaming) {
                reply.append("topologyVersion", new BsonDocument("processId", new org.bson.BsonObjectId(processId))
                        .append("counter", new BsonInt64(topologyCounter.get())));
            }
            return reply.append("ok", new BsonDouble(1));
        }

        /**
         * An awaitable hello: answered after maxAwaitTimeMS or at once when the role changes; with exhaustAllowed,
         * each answer says moreToCome and the next one follows the same way, as mongod streams.
         */
        private void awaitHello(ChannelHandlerContext ctx, int responseTo, long maxAwaitMS, boolean exhaust) {
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            Runnable[] fire = new Runnable[1];
            fire[0] = () -> ctx.executor().execute(() -> {
                if (!done.compareAndSet(false, true)) {
                    return;
                }
                awaiting.remove(fire[0]);
                if (!ctx.channel().isActive()) {
                    return;
                }
                int id = replyIds.incrementAndGet();
                ctx.writeAndFlush(OpMsg.encode(ctx.alloc(), id, responseTo, exhaust ? OpMsg.MORE_TO_COME : 0,
                        helloReply(new BsonDocument())));
                if (exhaust) {
                    awaitHello(ctx, id, maxAwaitMS, true);
                }
            });
            awaiting.add(fire[0]);
            ctx.executor().schedule(fire[0], maxAwaitMS, TimeUnit.MILLISECONDS);
        }

        private BsonArray compressionReply(BsonDocument hello) {
            BsonArray out = new BsonArray();
            var offered = hello.get("compression");
            if (compressor != null && offered != null && offered.isArray()
                    && offered.asArray().contains(new BsonString(compressor.wireName()))) {
                out.add(new BsonString(compressor.wireName()));
            }
            return out;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
