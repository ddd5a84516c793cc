package dev.sluice.server.testing;

import dev.sluice.server.wire.FrameDecoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.bson.BsonDocument;
import org.bson.types.ObjectId;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One member of a {@link SimulatedReplicaSet}: a loopback server that answers hello from the set's state and
 * forwards other commands to the set's shared store. Counts the commands it receives, by name, so tests can see
 * where a client sent them. Controlled through its set.
 */
public final class SimulatedMember {
    /** A topologyVersion and the future completed when it is replaced. */
    private record Topology(TopologyVersion version, CompletableFuture<Void> changed) {
    }

    private final SimulatedReplicaSet set;
    private final EventLoopGroup group;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionIds = new AtomicInteger();
    private final AtomicReference<Topology> topology = new AtomicReference<>(
            new Topology(new TopologyVersion(new ObjectId(), 0), new CompletableFuture<>()));
    private final FailPoint failPoint = new FailPoint();
    private final LostWriteReplies lostWriteReplies = new LostWriteReplies();
    private volatile int port;
    private volatile Channel server;
    private volatile int maxWireVersion = 17;
    private volatile long lagMS;
    private volatile long delayMS;

    SimulatedMember(SimulatedReplicaSet set, EventLoopGroup group) {
        this.set = set;
        this.group = group;
    }

    /** "127.0.0.1:port", as the member names itself in hello ({@code me}, {@code hosts}). */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public MemberState state() {
        return set.view().state(host());
    }

    public boolean isRunning() {
        return server != null;
    }

    /** How many commands named {@code name} (as sent: "isMaster" and "hello" apart) this member received. */
    public long commandCount(String name) {
        LongAdder count = counts.get(name);
        return count == null ? 0 : count.sum();
    }

    /** All the command counts, by name (a snapshot). */
    public Map<String, Long> commandCounts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((name, count) -> out.put(name, count.sum()));
        return out;
    }

    public void resetCommandCounts() {
        counts.clear();
    }

    /** Client connections open now. */
    public int currentConnections() {
        return connections.size();
    }

    @Override
    public String toString() {
        return "SimulatedMember{" + host() + ", " + state() + (isRunning() ? "" : ", stopped") + '}';
    }

    // ---- used by the set and the connections ----

    SimulatedReplicaSet set() {
        return set;
    }

    FailPoint failPoint() {
        return failPoint;
    }

    /** Arms the lost-write-reply failpoint for the next {@code times} retryable writes (-1: always, 0: off). */
    void lostWriteReplies(int times) {
        lostWriteReplies.set(times);
    }

    /** Whether this retryable write's reply is lost (the failpoint fires, counting down). */
    boolean takeLostWriteReply() {
        return lostWriteReplies.take();
    }

    void count(String name) {
        counts.computeIfAbsent(name == null ? "" : name, n -> new LongAdder()).increment();
    }

    long delayMS() {
        return delayMS;
    }

    void delayMS(long ms) {
        delayMS = ms;
    }

    void lagMS(long ms) {
        lagMS = ms;
    }

    void maxWireVersion(int version) {
        maxWireVersion = version;
        topologyChanged();
    }

    TopologyVersion topologyVersion() {
        return topology.get().version();
    }

    /** Completes when this member's topologyVersion is newer than {@code known} (at once if it is already). */
    CompletableFuture<Void> changeAfter(TopologyVersion known) {
        Topology current = topology.get();
        return current.version().isNewerThan(known) ? CompletableFuture.completedFuture(null) : current.changed();
    }

    /** Counter + 1, and wakes the hellos waiting for a change. */
    void topologyChanged() {
        Topology old = topology.getAndUpdate(t -> new Topology(
                new TopologyVersion(t.version().processId(), t.version().counter() + 1), new CompletableFuture<>()));
        old.changed().complete(null);
    }

    BsonDocument hello(String commandName, boolean helloOk, int connectionId) {
        HelloReplies.Facts facts = new HelloReplies.Facts(host(), topologyVersion(), maxWireVersion, lagMS,
                connectionId);
        return HelloReplies.build(set.view(), facts, commandName, helloOk, set.clock().millis(),
                set.clusterClock().now());
    }

    /** Listens on its port (a free one the first time); a restarted mongod has a new processId. */
    synchronized void start() {
        if (server != null) {
            return;
        }
        Topology old = topology.getAndSet(new Topology(new TopologyVersion(new ObjectId(), 0), new CompletableFuture<>()));
        old.changed().complete(null);
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        ch.closeFuture().addListener(f -> connections.remove(ch));
                        ch.pipeline().addLast(new FrameDecoder(FrameDecoder.DEFAULT_MAX_MESSAGE_SIZE_BYTES),
                                new MemberConnection(SimulatedMember.this, connectionIds.incrementAndGet()));
                    }
                }).bind("127.0.0.1", port).syncUninterruptibly().channel();
        port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Closes its port and resets every connection (as a killed mongod would). */
    synchronized void stop() {
        Channel listening = server;
        if (listening == null) {
            return;
        }
        server = null;
        listening.close().syncUninterruptibly();
        List<ChannelFuture> closing = new ArrayList<>();
        for (Channel ch : connections) {
            try {
                ch.config().setOption(ChannelOption.SO_LINGER, 0); // close with a reset, as a killed process does
            } catch (io.netty.channel.ChannelException alreadyClosed) {
                // closed meanwhile: nothing to reset
            }
            closing.add(ch.close());
        }
        closing.forEach(ChannelFuture::syncUninterruptibly);
    }
}
