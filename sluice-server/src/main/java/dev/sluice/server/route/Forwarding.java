package dev.sluice.server.route;

import dev.sluice.pool.PooledConnection;
import dev.sluice.server.topology.OperationKind;
import dev.sluice.server.topology.ReadPreference;
import dev.sluice.server.topology.ReadPreferenceException;
import dev.sluice.server.topology.ReadPreferenceMode;
import dev.sluice.server.topology.ServerAddress;
import dev.sluice.server.topology.ServerDescription;
import dev.sluice.server.topology.ServerType;
import dev.sluice.server.topology.TopologyType;
import dev.sluice.server.upstream.BackendConnection;
import dev.sluice.server.upstream.HostPool;
import dev.sluice.server.upstream.ReplyListener;
import dev.sluice.server.upstream.SelectionCallback;
import dev.sluice.server.upstream.UpstreamCluster;
import dev.sluice.server.upstream.UpstreamException;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * One forwarded operation, from server selection to its last reply: selects a server (or uses the pinned one),
 * borrows a connection, sends, and hands the reply to the client. Errors go to the topology (network errors and
 * timeouts with their phase and the connection's generation; NotPrimary / NodeIsRecovering / shutdown replies).
 * An attempt that failed with a retryable error is replayed once, on a newly selected server, when that is safe:
 * before anything was sent (no connection could be had) for any operation; after sending, for reads and retryable
 * writes (lsid + txnNumber, which the upstream deduplicates) only. A retained copy of the request frame is kept
 * until the operation ends, for that replay.
 *
 * <p>One step runs at a time (selection, check-out, send, reply), each handing the next to the thread that
 * completes it.
 */
final class Forwarding {
    private static final Logger LOG = LoggerFactory.getLogger(Forwarding.class);
    /** Dead idle connections skipped per check-out before the request fails on one. */
    private static final int MAX_DEAD_CONNECTIONS_SKIPPED = 8;
    /** New selections after failing to get a connection (nothing sent), within serverSelectionTimeoutMS. */
    private static final int MAX_RESELECTIONS = 5;
    /** Sends of one request at most: the first attempt and one replay. */
    private static final int MAX_SENDS = 2;

    private final Router router;
    private final UpstreamCluster cluster;
    private final ForwardRequest request;
    private final ForwardCallback callback;
    private final RetryCatalog.Attempt write;
    private final InFlight inFlight;
    private final HostPool pinned;
    private final OperationKind kind;
    private final ReadPreference readPreference;
    private final boolean explicitReadPreference;
    private final boolean replayable;
    private final long startNanos;
    private final List<ServerAddress> deprioritized = new ArrayList<>(1);
    private ByteBuf frame;
    private boolean readPreferenceAdded;
    private int sends;
    private int reselections;

    /**
     * @param write  the retry-catalog entry of a retryable write Sluice deduplicates itself, or null
     * @param pinned the host the request must go to (its cursor's, its transaction's), or null to select one
     */
    Forwarding(Router router, UpstreamCluster cluster, ForwardRequest request, ForwardCallback callback,
               RetryCatalog.Attempt write, InFlight inFlight, HostPool pinned) {
        this.router = router;
        this.cluster = cluster;
        this.request = request;
        this.callback = callback;
        this.write = write;
        this.inFlight = inFlight;
        this.pinned = pinned;
        this.frame = request.frame();
        CommandFacts facts = request.facts();
        this.kind = facts.inTransaction() || facts.startTransaction() ? OperationKind.WRITE
                : OperationClass.of(request.commandName(), request.body());
        org.bson.BsonValue asked = request.body().get(ReadPreferenceArgument.FIELD);
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
        var features = cluster.features();
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
        cluster.select(kind, readPreference, deprioritized, startNanos, executor, new SelectionCallback() {
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
                fail(error instanceof UpstreamException u ? u : new UpstreamException(
                        UpstreamException.Kind.NO_SUITABLE_SERVER, "upstream", error.getMessage(), error));
            }
        });
    }

    /** The request with the frame this operation holds now (it may carry an added $readPreference). */
    private ForwardRequest withFrame() {
        return new ForwardRequest(frame, request.commandName(), request.database(), request.body(),
                request.moreToCome(), request.owner(), request.caller(), request.facts());
    }

    private void use(HostPool pool, ServerDescription server) {
        callback.onRouted(pool.host());
        CommandFacts facts = request.facts();
        if (facts.startTransaction()) {
            router.transactions().started(request.body().getDocument("lsid"), facts.txnNumber(), pool.host(),
                    request.owner());
        }
        addReadPreference(server);
        pool.operationStarted();
        checkOut(pool, pool.generation(), 0);
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
        } else if (cluster.description().type() == TopologyType.SINGLE && server.type().isReplicaSetMember()
                && server.type() != ServerType.RS_PRIMARY) {
            add = ReadPreferenceArgument.primaryPreferred();
        }
        if (add != null) {
            frame = ReadPreferenceArgument.add(frame, add);
            readPreferenceAdded = true;
        }
    }

    private void checkOut(HostPool pool, int generation, int skipped) {
        pool.checkOut(request.caller(), dev.sluice.server.upstream.UpstreamLogin.of(request.owner()), (pooled, error) -> {
            if (error != null) {
                pool.operationEnded();
                checkOutFailed(pool, generation, router.translate(pool, error));
                return;
            }
            if (!pooled.connection().isUsable() && skipped < MAX_DEAD_CONNECTIONS_SKIPPED) {
                pooled.discard();
                checkOut(pool, generation, skipped + 1);
                return;
            }
            if (!inFlight.attach(pooled)) {
                pool.operationEnded();
                releaseFrame();
                if (write != null) {
                    write.failed();
                }
                return;
            }
            if (request.moreToCome()) {
                sendUnacknowledged(pool, pooled);
            } else {
                send(pool, pooled);
            }
        });
    }

    /** No connection: nothing was sent, so the operation may go elsewhere (or wait for the server to be back). */
    private void checkOutFailed(HostPool pool, int generation, UpstreamException e) {
        UpstreamErrors.connectionFailed(cluster, pool.host(), generation, e);
        if (pinned == null && Retryability.retryableBeforeSend(e) && reselections < MAX_RESELECTIONS
                && !inFlight.isCancelled()) {
            reselections++;
            LOG.debug("[route] {} found no connection to {} ({}): selecting a server again", request.commandName(),
                    pool.host(), e.getMessage());
            deprioritize(pool.host());
            select();
            return;
        }
        fail(e);
    }

    private void fail(UpstreamException e) {
        releaseFrame();
        inFlight.discard();
        if (write != null) {
            write.failed();
        }
        callback.onFailure(e);
    }

    /**
     * The client expects no reply; upstream is asked for one anyway (moreToCome cleared) so the connection goes back
     * to the pool in a known state and failures are logged. Never replayed.
     */
    private void sendUnacknowledged(HostPool pool, PooledConnection<BackendConnection> pooled) {
        ByteBuf out = frame;
        frame = null;
        OpMsg.setFlags(out, OpMsg.flags(out) & ~OpMsg.MORE_TO_COME);
        OpMsg.updateChecksumIfPresent(out);
        pooled.connection().send(out, request.commandName(), new ReplyListener() {
            @Override
            public void onReply(ByteBuf reply, boolean moreToCome) {
                if (LOG.isDebugEnabled() && !ReplyInspector.inspect(reply).ok()) {
                    LOG.debug("[route] unacknowledged {} got an error reply upstream (the client asked for none)",
                            request.commandName());
                }
                reply.release();
                if (!moreToCome) {
                    pool.operationEnded();
                    inFlight.finish();
                    callback.onSent();
                }
            }

            @Override
            public void onFailure(UpstreamException cause) {
                pool.operationEnded();
                inFlight.discard();
                if (cause.isNetworkError() && !inFlight.isCancelled()) {
                    UpstreamErrors.network(cluster, pool.host(), pooled.generation(), cause);
                }
                if (inFlight.isCancelled()) {
                    LOG.debug("[route] unacknowledged {} of a client gone failed upstream: {}",
                            request.commandName(), cause.getMessage());
                } else {
                    LOG.info("[route] unacknowledged {} failed upstream: {}", request.commandName(), cause.getMessage());
                }
                callback.onSent();
            }
        }, null);
    }

    private void send(HostPool pool, PooledConnection<BackendConnection> pooled) {
        if (write != null) {
            write.sent();
        }
        sends++;
        pooled.connection().send(frame.retainedDuplicate(), request.commandName(), new ReplyListener() {
            /** This attempt is over (its last reply came, or it was given up): later failures are not its business. */
            private boolean ended;
            /** A reply of an exhaust stream reached the client: the operation can no longer be replayed. */
            private boolean delivered;

            @Override
            public void onReply(ByteBuf reply, boolean moreToCome) {
                if (moreToCome && (inFlight.isCancelled() || !ReplyInspector.inspect(reply).ok())) {
                    endStream(reply);
                    return;
                }
                if (moreToCome) {
                    delivered = true;
                    callback.onReply(reply, true);
                    return;
                }
                ended = true;
                ReplyInspector.Codes codes = ReplyInspector.codes(reply);
                if (!codes.ok() || codes.writeConcernCode() != null) {
                    UpstreamErrors.command(cluster, pool.host(), pooled.generation(), reply, codes);
                }
                if (!codes.ok() && !delivered && mayReplay() && Retryability.retryableCode(codes.code())
                        && !inFlight.isCancelled()) {
                    reply.release();
                    pool.operationEnded();
                    replay(pool, true, "code " + codes.code());
                    return;
                }
                router.afterReply(request, pool.host(), reply);
                pool.operationEnded();
                inFlight.finish();
                if (write != null) {
                    Router.record(write, reply);
                }
                releaseFrame();
                callback.onReply(reply, false);
            }

            /**
             * An exhaust stream that cannot go on: its client is gone (the rest is not read), or upstream sent an
             * error while saying more is to come. An error is a reply: it goes to the client as the stream's last;
             * the connection, whose next bytes are unknown, is closed, not reused.
             */
            private void endStream(ByteBuf reply) {
                ended = true;
                pool.operationEnded();
                releaseFrame();
                if (inFlight.isCancelled()) {
                    reply.release();
                    inFlight.discard();
                    return;
                }
                OpMsg.setFlags(reply, OpMsg.flags(reply) & ~OpMsg.MORE_TO_COME);
                inFlight.discard();
                callback.onReply(reply, false);
            }

            @Override
            public void onFailure(UpstreamException cause) {
                if (ended) {
                    inFlight.discard();
                    if (write != null) {
                        write.failed();
                    }
                    return;
                }
                ended = true;
                pool.operationEnded();
                boolean cancelled = inFlight.isCancelled();
                // a client killed or gone mid-operation had its connection closed by Sluice: no network error
                if (cause.isNetworkError() && !cancelled) {
                    UpstreamErrors.network(cluster, pool.host(), pooled.generation(), cause);
                }
                if (!cancelled && !delivered && mayReplay() && Retryability.retryableAfterSend(cause)) {
                    replay(pool, false, cause.getMessage());
                    return;
                }
                inFlight.discard();
                if (write != null) {
                    write.failed();
                }
                releaseFrame();
                callback.onFailure(cause);
            }
        }, null);
    }

    private boolean mayReplay() {
        return replayable && sends < MAX_SENDS;
    }

    /** The attempt failed with a retryable error: the operation is sent again on a newly selected server. */
    private void replay(HostPool pool, boolean connectionReusable, String why) {
        if (!inFlight.detach(connectionReusable)) {
            releaseFrame(); // its client went away meanwhile
            return;
        }
        LOG.debug("[route] {} failed on {} ({}): replaying it on a newly selected server", request.commandName(),
                pool.host(), why);
        deprioritize(pool.host());
        select();
    }

    private void deprioritize(String host) {
        try {
            ServerAddress a = ServerAddress.parse(host);
            if (!deprioritized.contains(a)) {
                deprioritized.add(a);
            }
        } catch (IllegalArgumentException ignored) {
            // a pool's host always parses
        }
    }

    private void releaseFrame() {
        if (frame != null) {
            frame.release();
            frame = null;
        }
    }
}
