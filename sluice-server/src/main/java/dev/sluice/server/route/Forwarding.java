package dev.sluice.server.route;

import dev.sluice.server.topology.OperationKind;
import dev.sluice.server.topology.ReadPreference;
import dev.sluice.server.topology.ReadPreferenceException;
import dev.sluice.server.topology.ReadPreferenceMode;
import dev.sluice.server.topology.ServerAddress;
import dev.sluice.server.topology.ServerDescription;
import dev.sluice.server.topology.ServerType;
import dev.sluice.server.topology.TopologyType;
import dev.sluice.server.upstream.HostPool;
import dev.sluice.server.upstream.SelectionCallback;
import dev.sluice.server.upstream.UpstreamCluster;
import dev.sluice.server.upstream.UpstreamException;
import io.netty.buffer.ByteBuf;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One forwarded operation, from server selection to its end: uses the pinned host or selects a server, and makes
 * each attempt there ({@link Forwarder}: check-out, send, reply). It owns what outlives one attempt: the request
 * frame (a retained copy is kept until the operation ends, for a replay), the servers to avoid, the counts of
 * sends and reselections, and the retry-catalog entry of a write Sluice deduplicates itself.
 *
 * <p>An attempt that failed with a retryable error is replayed once, on a newly selected server, when that is
 * safe: before anything was sent (no connection could be had) for any operation; after sending, for reads and
 * retryable writes (lsid + txnNumber, which the upstream deduplicates) only. One step runs at a time (selection,
 * check-out, send, reply), each handing the next to the thread that completes it.
 */
final class Forwarding extends Forwarder implements SelectionCallback {
    private static final Logger LOG = LoggerFactory.getLogger(Forwarding.class);
    /** New selections after failing to get a connection (nothing sent), within serverSelectionTimeoutMS. */
    private static final int MAX_RESELECTIONS = 5;
    /** Sends of one request at most: the first attempt and one replay. */
    private static final int MAX_SENDS = 2;

    private final RetryCatalog.Attempt write;
    private final HostPool pinned;
    private final OperationKind kind;
    private final ReadPreference readPreference;
    private final boolean explicitReadPreference;
    private final boolean replayable;
    private final long startNanos;
    /** Servers to avoid (where an attempt failed); null until there is one. */
    private List<ServerAddress> deprioritized;
    private ByteBuf frame;
    private boolean readPreferenceAdded;
    /** At most {@link #MAX_SENDS}. */
    private byte sends;
    /** At most {@link #MAX_RESELECTIONS}. */
    private byte reselections;

    /**
     * @param write    the retry-catalog entry of a retryable write Sluice deduplicates itself, or null
     * @param inFlight the handle of an operation that outlives this one (a deduplicated retryable write's), or null:
     *                 this operation is its own handle
     * @param pinned   the host the request must go to (its cursor's, its transaction's), or null to select one
     */
    Forwarding(Pins pins, ForwardRequest request, ForwardCallback callback, RetryCatalog.Attempt write,
               InFlight inFlight, HostPool pinned) {
        // its own handle: an acknowledged request's session is killed upstream if its client leaves (so the lsid is
        // kept, read only then); an unacknowledged one runs anyway
        super(inFlight != null || request.moreToCome() || !request.facts().hasLsid() ? null : request.command(),
                pins, request, callback, inFlight);
        UpstreamCluster cluster = pins.cluster();
        this.write = write;
        this.pinned = pinned;
        this.frame = request.frame();
        CommandFacts facts = request.facts();
        this.kind = facts.inTransaction() || facts.startTransaction() ? OperationKind.WRITE
                : OperationClass.of(request.commandName(), request.command());
        org.bson.BsonValue asked = facts.hasReadPreference() ? request.body().get(ReadPreferenceArgument.FIELD) : null;
        this.explicitReadPreference = asked != null;
        ReadPreference rp;
        try {
            rp = asked == null ? cluster.settings().readPreference() : ReadPreference.parse(asked);
        } catch (ReadPreferenceException e) {
            rp = ReadPreference.PRIMARY; // refused before (Router.forward)
        }
        this.readPreference = rp;
        this.replayable = !request.moreToCome() && pinned == null && write == null && !facts.inTransaction()
                && !facts.startTransaction()
                && (kind == OperationKind.READ && cluster.settings().retryReads()
                || facts.isRetryableWrite() && cluster.settings().retryWrites() && upstreamDeduplicates());
        this.startNanos = cluster.nanoTime();
    }

    private boolean upstreamDeduplicates() {
        var features = cluster().features();
        return features != null && features.deduplicatesRetryableWrites();
    }

    void start() {
        if (pinned != null) {
            use(pinned, null);
        } else {
            select();
        }
    }

    private void select() {
        if (inFlight.isCancelled() && !request.moreToCome() && write == null) {
            releaseFrame(); // its client went away while it waited: nothing was sent
            inFlight.discard();
            return;
        }
        Executor executor = request.caller() instanceof Executor e ? e : null;
        cluster().select(kind, readPreference, deprioritized, startNanos, executor, this);
    }

    @Override
    public void selected(HostPool pool, ServerDescription server) {
        use(pool, server);
    }

    @Override
    public void failed(RuntimeException error) {
        if (error instanceof ReadPreferenceException r) {
            inFlight.discard();
            if (write != null) {
                write.failed();
            }
            LocalReply.send(withFrame(), callback, LocalReply.error(r.code(), r.codeName(), r.getMessage()));
            frame = null;
            return;
        }
        fail(UpstreamErrors.noServer(error));
    }

    /** The request with the frame this operation holds now (it may carry an added $readPreference). */
    private ForwardRequest withFrame() {
        return new ForwardRequest(frame, request.command(), request.moreToCome(), request.owner(), request.caller(),
                request.facts());
    }

    private void use(HostPool pool, ServerDescription server) {
        callback.onRouted(pool.host());
        if (request.facts().startTransaction()) {
            pins.transactionStarted(request, pool.host());
        }
        addReadPreference(server);
        pool.operationStarted();
        attempt(pool);
    }

    /**
     * Adds {@code $readPreference} to a command that has none when the server needs it: a read routed by the
     * upstream URI's read preference (other than primary), or any command sent straight to a replica set member
     * that is not the primary (directConnection: primaryPreferred, as drivers do).
     */
    private void addReadPreference(ServerDescription server) {
        if (server == null || explicitReadPreference || readPreferenceAdded || request.moreToCome()) {
            return;
        }
        BsonDocument add = null;
        if (kind == OperationKind.READ && readPreference.mode() != ReadPreferenceMode.PRIMARY) {
            add = ReadPreferenceArgument.document(readPreference);
        } else if (cluster().description().type() == TopologyType.SINGLE && server.type().isReplicaSetMember()
                && server.type() != ServerType.RS_PRIMARY) {
            add = ReadPreferenceArgument.primaryPreferred();
        }
        if (add != null) {
            frame = ReadPreferenceArgument.add(frame, add);
            readPreferenceAdded = true;
        }
    }

    // --- what an attempt (Forwarder) asks of its operation -------------------------------------

    @Override
    ByteBuf frameToSend() {
        if (write != null) {
            write.sent();
        }
        sends++;
        return frame.retainedDuplicate();
    }

    @Override
    ByteBuf takeFrame() {
        ByteBuf out = frame;
        frame = null;
        return out;
    }

    /** A replayable operation not sent twice yet. */
    @Override
    boolean mayReplay() {
        return replayable && sends < MAX_SENDS;
    }

    /**
     * No connection: nothing was sent, so the operation may go elsewhere (or wait for the server to be back). When
     * the failure carries the backpressure labels (the server stays selectable: it may be overloaded, not down), the
     * operation backs off first ({@link OverloadBackoff}), within serverSelectionTimeoutMS.
     */
    @Override
    void noConnection(HostPool pool, int generation, UpstreamException e) {
        UpstreamErrors.connectionFailed(cluster(), pool.host(), generation, e);
        if (pinned == null && Retryability.retryableBeforeSend(e) && reselections < MAX_RESELECTIONS
                && !inFlight.isCancelled()) {
            reselections++;
            deprioritize(pool.host());
            if (!e.systemOverloaded()) {
                LOG.debug("[route] {} found no connection to {} ({}): selecting a server again",
                        request.commandName(), pool.host(), e.getMessage());
                select();
                return;
            }
            long delay = OverloadBackoff.delayMillis(reselections, ThreadLocalRandom.current().nextDouble());
            long waited = TimeUnit.NANOSECONDS.toMillis(cluster().nanoTime() - startNanos);
            if (waited + delay < cluster().settings().serverSelectionTimeoutMS()) {
                LOG.debug("[route] {} found no connection to {} ({}): selecting a server again in {} ms",
                        request.commandName(), pool.host(), e.getMessage(), delay);
                try {
                    cluster().schedule(this::select, delay);
                    return;
                } catch (RejectedExecutionException stopping) {
                    // Sluice is stopping: the operation ends with the error it has
                }
            }
        }
        fail(e);
    }

    @Override
    void replay(HostPool pool, boolean connectionReusable, String why) {
        if (!inFlight.detach(connectionReusable)) {
            releaseFrame(); // its client went away meanwhile
            return;
        }
        LOG.debug("[route] {} failed on {} ({}): replaying it on a newly selected server", request.commandName(),
                pool.host(), why);
        deprioritize(pool.host());
        select();
    }

    /** The operation ends with {@code e}, nothing to replay. */
    void fail(UpstreamException e) {
        releaseFrame();
        inFlight.discard();
        writeFailed();
        callback.onFailure(e);
    }

    /** The final reply came: the retry catalog records it (the tables and the client are the attempt's). */
    @Override
    void replied(ByteBuf reply) {
        if (write != null) {
            RetryableWrites.record(write, reply);
        }
        releaseFrame();
    }

    /** A write Sluice deduplicates ended with no usable reply: its retries must not wait on it. */
    @Override
    void writeFailed() {
        if (write != null) {
            write.failed();
        }
    }

    @Override
    void releaseFrame() {
        if (frame != null) {
            frame.release();
            frame = null;
        }
    }

    private void deprioritize(String host) {
        try {
            ServerAddress a = ServerAddress.parse(host);
            if (deprioritized == null) {
                deprioritized = new ArrayList<>(1);
            }
            if (!deprioritized.contains(a)) {
                deprioritized.add(a);
            }
        } catch (IllegalArgumentException ignored) {
            // a pool's host always parses
        }
    }
}
