package dev.sluice.server.client;

import dev.sluice.server.wire.Compressor;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.ObjectId;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Builds Sluice's answer to {@code hello} / {@code isMaster} / {@code ismaster}: a router
 * ({@code msg: "isdbgrid"}), like mongos, with limits and wire versions consistent with the
 * upstream, and a topologyVersion for awaitable hello.
 *
 * <p>The topologyVersion's counter changes when what a client should act on changes ({@link #refresh()}: the
 * upstream gains its first usable server or loses its last one, its maxWireVersion or its
 * logicalSessionTimeoutMinutes change); awaitable hellos waiting on the old counter ({@link #awaitChange}) are then
 * answered at once, as mongod answers them on a topology change.
 */
public final class HelloResponder {
    public static final int MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
    public static final int MAX_WRITE_BATCH_SIZE = 100_000;
    /** The session timeout of {@link #HelloResponder(Clock, int)}, for tests of the reply's shape. */
    public static final int LOGICAL_SESSION_TIMEOUT_MINUTES = 30;

    private final ObjectId processId = new ObjectId();
    private final Clock clock;
    private final int maxMessageSizeBytes;
    private final IntSupplier logicalSessionTimeoutMinutes;
    private final IntSupplier maxWireVersion;
    private final BooleanSupplier upstreamUsable;
    /** Written under {@code this}; read without a lock by {@link #topologyVersion()} and {@link #isCurrent}. */
    private volatile long topologyCounter;
    private volatile boolean quiescing;
    /** Guarded by {@code this}: what the last {@link #refresh()} saw, and the awaitable hellos to wake. */
    private Advertised advertised;
    private final Set<Runnable> waiting = new LinkedHashSet<>();

    /** What a client's view of Sluice depends on. */
    private record Advertised(boolean usable, int maxWireVersion, int logicalSessionTimeoutMinutes) {
    }

    /** Always advertising sessions with {@link #LOGICAL_SESSION_TIMEOUT_MINUTES}. */
    public HelloResponder(Clock clock, int maxMessageSizeBytes) {
        this(clock, maxMessageSizeBytes, () -> LOGICAL_SESSION_TIMEOUT_MINUTES);
    }

    /**
     * @param logicalSessionTimeoutMinutes what to advertise, read on every reply (sessions are what
     *                                     the upstream or Sluice can keep); 0 or less: no sessions,
     *                                     the field is left out, as a server without sessions does
     */
    public HelloResponder(Clock clock, int maxMessageSizeBytes, IntSupplier logicalSessionTimeoutMinutes) {
        this(clock, maxMessageSizeBytes, logicalSessionTimeoutMinutes, () -> 0, () -> true);
    }

    /**
     * @param maxWireVersion the upstream's maxWireVersion, read by {@link #refresh()}
     * @param upstreamUsable whether some upstream server can take operations now, read by {@link #refresh()}
     */
    public HelloResponder(Clock clock, int maxMessageSizeBytes, IntSupplier logicalSessionTimeoutMinutes,
                          IntSupplier maxWireVersion, BooleanSupplier upstreamUsable) {
        this.clock = clock;
        this.maxMessageSizeBytes = maxMessageSizeBytes;
        this.logicalSessionTimeoutMinutes = logicalSessionTimeoutMinutes;
        this.maxWireVersion = maxWireVersion;
        this.upstreamUsable = upstreamUsable;
        this.advertised = current();
    }

    /** True for the three spellings of the handshake command. */
    public static boolean isHello(String commandName) {
        return "hello".equals(commandName) || "isMaster".equals(commandName) || "ismaster".equals(commandName);
    }

    /**
     * The reply document.
     *
     * @param command       the client's command (its name decides isWritablePrimary vs ismaster)
     * @param connectionId  the numeric connection id
     * @param maxWireVersion the upstream's
     * @param compression   compressors negotiated with this client (empty for none; null when not asked)
     */
    public BsonDocument reply(BsonDocument command, String commandName, long connectionId, int maxWireVersion,
                              List<Compressor> compression) {
        if (quiescing) {
            return quiesceReply();
        }
        BsonDocument reply = new BsonDocument();
        boolean legacy = !"hello".equals(commandName);
        if (legacy) {
            reply.append("ismaster", BsonBoolean.TRUE);
        } else {
            reply.append("isWritablePrimary", BsonBoolean.TRUE);
        }
        if (legacy && command.containsKey("helloOk")) {
            reply.append("helloOk", BsonBoolean.TRUE);
        }
        reply.append("msg", new BsonString("isdbgrid"));
        reply.append("topologyVersion", topologyVersion());
        reply.append("maxBsonObjectSize", new BsonInt32(MAX_BSON_OBJECT_SIZE));
        reply.append("maxMessageSizeBytes", new BsonInt32(maxMessageSizeBytes));
        reply.append("maxWriteBatchSize", new BsonInt32(MAX_WRITE_BATCH_SIZE));
        reply.append("localTime", new BsonDateTime(clock.millis()));
        int sessionTimeout = logicalSessionTimeoutMinutes.getAsInt();
        if (sessionTimeout > 0) {
            reply.append("logicalSessionTimeoutMinutes", new BsonInt32(sessionTimeout));
        }
        reply.append("connectionId", new BsonInt64(connectionId));
        reply.append("minWireVersion", new BsonInt32(0));
        reply.append("maxWireVersion", new BsonInt32(maxWireVersion));
        reply.append("readOnly", BsonBoolean.FALSE);
        if (compression != null) {
            BsonArray names = new BsonArray();
            for (Compressor c : compression) {
                names.add(new BsonString(c.wireName()));
            }
            reply.append("compression", names);
        }
        reply.append("ok", new org.bson.BsonDouble(1.0));
        return reply;
    }

    /**
     * mongos's quiesce mode (5.0+), entered at the end of a drain: from now on every hello, the awaitable ones
     * waiting now included (answered at once), gets {@code ShutdownInProgress} (91) with a new topologyVersion,
     * so that drivers mark this Sluice Unknown and route to the others of their seed list.
     */
    public void quiesce() {
        quiescing = true;
        topologyChanged();
    }

    /** Whether {@link #quiesce()} was called: hellos are answered with ShutdownInProgress. */
    public boolean quiescing() {
        return quiescing;
    }

    private BsonDocument quiesceReply() {
        return new BsonDocument("ok", new org.bson.BsonDouble(0))
                .append("errmsg", new BsonString("Sluice is shutting down (quiesce mode): connect to another Sluice"))
                .append("code", new BsonInt32(SHUTDOWN_IN_PROGRESS))
                .append("codeName", new BsonString("ShutdownInProgress"))
                .append("topologyVersion", topologyVersion());
    }

    /** mongod's ShutdownInProgress error code. */
    public static final int SHUTDOWN_IN_PROGRESS = 91;

    /** {processId, counter}: changes when Sluice's view of the topology changes (e.g. shutdown). */
    public BsonDocument topologyVersion() {
        return new BsonDocument("processId", new BsonObjectId(processId))
                .append("counter", new BsonInt64(topologyCounter));
    }

    /** Whether the client's topologyVersion is the current one (so an awaitable hello must wait). */
    public boolean isCurrent(BsonValue clientTopologyVersion) {
        if (clientTopologyVersion == null || !clientTopologyVersion.isDocument()) {
            return false;
        }
        BsonDocument tv = clientTopologyVersion.asDocument();
        BsonValue pid = tv.get("processId");
        BsonValue counter = tv.get("counter");
        return pid != null && pid.isObjectId() && pid.asObjectId().getValue().equals(processId)
                && counter != null && counter.isNumber() && counter.asNumber().longValue() == topologyCounter;
    }

    /**
     * Re-reads what clients see of the upstream (call it after each topology change, and periodically for the
     * wire version learnt from handshakes). When it differs from the last reading in a way clients should act on,
     * the counter changes and waiting awaitable hellos are answered.
     *
     * @return true when the counter changed
     */
    public boolean refresh() {
        Advertised now = current();
        synchronized (this) {
            if (now.equals(advertised)) {
                return false;
            }
            advertised = now;
        }
        topologyChanged();
        return true;
    }

    private Advertised current() {
        return new Advertised(upstreamUsable.getAsBoolean(), maxWireVersion.getAsInt(),
                Math.max(0, logicalSessionTimeoutMinutes.getAsInt()));
    }

    /** Signals a topology change: the counter moves on and every waiting awaitable hello is woken. */
    public void topologyChanged() {
        List<Runnable> woken;
        synchronized (this) {
            topologyCounter++;
            woken = new ArrayList<>(waiting);
            waiting.clear();
        }
        for (Runnable wake : woken) {
            try {
                wake.run();
            } catch (RuntimeException e) {
                // a client's event loop shutting down: the others are still woken
            }
        }
    }

    /**
     * Runs {@code wake} once, at the next change of the counter, or now (on this thread) when
     * {@code clientTopologyVersion} is already out of date. {@code wake} must only hand off (to the client's
     * event loop): it runs on the thread that saw the change.
     */
    public void awaitChange(BsonValue clientTopologyVersion, Runnable wake) {
        synchronized (this) {
            if (isCurrent(clientTopologyVersion)) {
                waiting.add(wake);
                return;
            }
        }
        wake.run();
    }

    /** Forgets a waiter that no longer waits (its hello was answered, or its client went away). */
    public synchronized void cancelWait(Runnable wake) {
        waiting.remove(wake);
    }

    /** Awaitable hellos waiting for a change now. */
    public synchronized int waiting() {
        return waiting.size();
    }
}
