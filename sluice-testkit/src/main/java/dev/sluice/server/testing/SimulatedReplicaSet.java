package dev.sluice.server.testing;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A replica set simulated in-process, for tests and benchmarks where no mongod can run: N members on loopback
 * ports that answer hello / isMaster as mongod 6.0 replica-set members do (awaitable and streamed), and serve
 * data from ONE shared in-memory store (mongo-java-server), so a read on any member sees every write. Writes
 * need the primary (NotWritablePrimary elsewhere), reads need secondaryOk on a secondary, and retryable writes
 * are deduplicated across members and elections, as mongod does.
 *
 * <p>Tests drive the topology: {@link #stepDown}, {@link #elect}, {@link #addMember}, {@link #removeMember},
 * {@link #stop}/{@link #start}, {@link #failCommand}, tags, lag, delay and maxWireVersion per member. Each change
 * of the set's state increments the topologyVersion of its members and wakes their awaiting hellos. Nothing
 * happens by itself: no election follows a stepDown or a stop until the test calls {@link #elect}.
 *
 * <pre>{@code
 * try (SimulatedReplicaSet rs = SimulatedReplicaSet.start(3);
 *      MongoClient client = MongoClients.create(rs.uri())) { ... }
 * }</pre>
 */
public final class SimulatedReplicaSet implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2,
            new DefaultThreadFactory("sluice-simulated-rs", true), NioIoHandler.newFactory());
    private final SharedStore store;
    private final Clock clock;
    private final ClusterClock clusterClock;
    private final RetryableWrites retryableWrites = new RetryableWrites();
    /** Every member ever started, removed ones included (to stop them all). */
    private final List<SimulatedMember> started = new CopyOnWriteArrayList<>();
    private volatile ReplicaSetView view;

    private SimulatedReplicaSet(Builder builder) {
        this.clock = builder.clock;
        this.clusterClock = new ClusterClock(clock);
        this.store = new SharedStore();
        try {
            List<ReplicaSetView.Member> config = new ArrayList<>();
            for (int i = 0; i < builder.members; i++) {
                SimulatedMember member = newMember();
                config.add(new ReplicaSetView.Member(member.host(), MemberRole.ELECTABLE, Map.of()));
            }
            view = new ReplicaSetView(builder.setName, 1, 0, config, null).withPrimary(config.get(0).host());
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** A set named "rs0" of {@code members} electable members, the first one primary. */
    public static SimulatedReplicaSet start(int members) {
        return builder().members(members).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** "mongodb://127.0.0.1:p1,127.0.0.1:p2,.../?replicaSet=rs0": the members of the current config. */
    public String uri() {
        StringJoiner hosts = new StringJoiner(",", "mongodb://", "/?replicaSet=" + view.setName());
        for (SimulatedMember member : members()) {
            hosts.add(member.host());
        }
        return hosts.toString();
    }

    public String setName() {
        return view.setName();
    }

    public int setVersion() {
        return view.setVersion();
    }

    /** The members of the current config, in the order they joined. */
    public List<SimulatedMember> members() {
        ReplicaSetView current = view;
        List<SimulatedMember> out = new ArrayList<>();
        for (ReplicaSetView.Member configured : current.members()) {
            out.add(byHost(configured.host()));
        }
        return out;
    }

    public SimulatedMember member(int index) {
        return members().get(index);
    }

    public Optional<SimulatedMember> primary() {
        String host = view.primaryHost();
        return host == null ? Optional.empty() : Optional.of(byHost(host));
    }

    public List<SimulatedMember> secondaries() {
        List<SimulatedMember> out = new ArrayList<>();
        for (SimulatedMember member : members()) {
            if (member.state() == MemberState.SECONDARY) {
                out.add(member);
            }
        }
        return out;
    }

    /** The primary becomes a secondary; the set has no primary until {@link #elect}. */
    public synchronized void stepDown(SimulatedMember member) {
        if (member.state() != MemberState.PRIMARY) {
            throw new IllegalStateException("stepDown " + member.host() + ": it is " + member.state()
                    + " (expected: PRIMARY)");
        }
        publish(view.withPrimary(null));
    }

    /** {@code member} becomes primary in a new term (a larger electionId); every other data member is secondary. */
    public synchronized void elect(SimulatedMember member) {
        ReplicaSetView.Member configured = view.member(member.host());
        if (configured == null || configured.role() != MemberRole.ELECTABLE) {
            throw new IllegalArgumentException("elect " + member.host() + ": its role is "
                    + (configured == null ? "none (removed)" : configured.role()) + " (expected: ELECTABLE)");
        }
        publish(view.withPrimary(member.host()));
    }

    /** Starts a new electable member and adds it to the config (setVersion + 1). */
    public SimulatedMember addMember() {
        return addMember(MemberRole.ELECTABLE);
    }

    /** Starts a new member with this role and adds it to the config (setVersion + 1). */
    public synchronized SimulatedMember addMember(MemberRole role) {
        SimulatedMember member = newMember();
        List<ReplicaSetView.Member> config = new ArrayList<>(view.members());
        config.add(new ReplicaSetView.Member(member.host(), Objects.requireNonNull(role, "role"), Map.of()));
        publish(view.withMembers(config));
        return member;
    }

    /**
     * Removes {@code member} from the config (setVersion + 1). It keeps running and answers hello as a mongod
     * without a valid replica set config. As with mongod's reconfig, the primary cannot be removed: step it down.
     */
    public synchronized void removeMember(SimulatedMember member) {
        if (member.state() == MemberState.PRIMARY) {
            throw new IllegalStateException("removeMember " + member.host() + ": it is PRIMARY (stepDown it first)");
        }
        List<ReplicaSetView.Member> config = new ArrayList<>(view.members());
        if (!config.removeIf(m -> m.host().equals(member.host()))) {
            throw new IllegalArgumentException("removeMember " + member.host() + ": not in the config");
        }
        publish(view.withMembers(config));
    }

    /** Replaces the member's tags (a reconfig: setVersion + 1). */
    public synchronized void setTags(SimulatedMember member, Map<String, String> tags) {
        List<ReplicaSetView.Member> config = new ArrayList<>();
        boolean found = false;
        for (ReplicaSetView.Member m : view.members()) {
            found |= m.host().equals(member.host());
            config.add(m.host().equals(member.host()) ? new ReplicaSetView.Member(m.host(), m.role(), tags) : m);
        }
        if (!found) {
            throw new IllegalArgumentException("setTags " + member.host() + ": not in the config");
        }
        publish(view.withMembers(config));
    }

    /** Closes the member's port and resets its connections. Its state in the config is unchanged. */
    public void stop(SimulatedMember member) {
        member.stop();
    }

    /** Listens again on the member's port, with a new processId (as a restarted mongod). */
    public void start(SimulatedMember member) {
        member.start();
    }

    /** mongod's failCommand failpoint on this member: the next {@code times} {@code commandName} fail with {@code errorCode}. */
    public void failCommand(SimulatedMember member, String commandName, int errorCode, int times) {
        failCommand(member, FailCommand.on(commandName).errorCode(errorCode).times(times).build());
    }

    /** Arms {@code failCommand} on this member (replacing its failpoint), or turns it off when null. */
    public void failCommand(SimulatedMember member, FailCommand failCommand) {
        member.failPoint().set(failCommand);
    }

    /**
     * mongod's {@code onPrimaryTransactionalWrite} failpoint with {@code closeConnection: true} on this member: the
     * next {@code times} retryable writes it takes reach the shared store and are applied, and their connection
     * closes before the reply (-1: every one, 0: off). The client sees a network error; its retry, on any member,
     * must be answered from the set's retryable-write history, not applied again.
     */
    public void loseWriteReplies(SimulatedMember member, int times) {
        member.lostWriteReplies(times);
    }

    /** How far behind the primary the member's {@code lastWrite} is (for maxStalenessSeconds). */
    public void setLag(SimulatedMember member, Duration lag) {
        member.lagMS(requireNonNegative(lag, "lag").toMillis());
    }

    /** Delays every reply of this member, hello included (round-trip time). */
    public void setDelay(SimulatedMember member, Duration delay) {
        member.delayMS(requireNonNegative(delay, "delay").toMillis());
    }

    /** The maxWireVersion the member reports (17 by default). */
    public void setMaxWireVersion(SimulatedMember member, int maxWireVersion) {
        if (maxWireVersion < 0) {
            throw new IllegalArgumentException("maxWireVersion: " + maxWireVersion + " (expected: >= 0)");
        }
        member.maxWireVersion(maxWireVersion);
    }

    /** How many retryable writes were answered from the history instead of being applied again. */
    public long retriedWrites() {
        return retryableWrites.retried();
    }

    /** Stops every member, the event loops and the shared store. */
    @Override
    public void close() {
        for (SimulatedMember member : started) {
            member.stop();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        if (store != null) {
            store.close();
        }
    }

    // ---- for the members ----

    ReplicaSetView view() {
        return view;
    }

    Clock clock() {
        return clock;
    }

    ClusterClock clusterClock() {
        return clusterClock;
    }

    RetryableWrites retryableWrites() {
        return retryableWrites;
    }

    InetSocketAddress storeAddress() {
        return store.address();
    }

    private SimulatedMember newMember() {
        SimulatedMember member = new SimulatedMember(this, group);
        started.add(member);
        member.start();
        return member;
    }

    private SimulatedMember byHost(String host) {
        for (SimulatedMember member : started) {
            if (member.host().equals(host)) {
                return member;
            }
        }
        throw new IllegalStateException("no member " + host);
    }

    /** Publishes a new state: every member's topologyVersion grows and its awaiting hellos answer. */
    private void publish(ReplicaSetView next) {
        view = next;
        for (SimulatedMember member : started) {
            member.topologyChanged();
        }
    }

    private static Duration requireNonNegative(Duration value, String name) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
        }
        return value;
    }

    /** Settings of a simulated replica set: its name, its size, its wall clock. */
    public static final class Builder {
        private String setName = "rs0";
        private int members = 3;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder setName(String setName) {
            this.setName = Objects.requireNonNull(setName, "setName");
            return this;
        }

        public Builder members(int members) {
            if (members < 1 || members > 50) {
                throw new IllegalArgumentException("members: " + members + " (expected: 1..50, mongod's limit)");
            }
            this.members = members;
            return this;
        }

        /** The wall clock behind localTime and lastWriteDate. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public SimulatedReplicaSet start() {
            return new SimulatedReplicaSet(this);
        }
    }
}
