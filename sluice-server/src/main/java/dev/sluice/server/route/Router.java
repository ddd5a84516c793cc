package dev.sluice.server.route;

import dev.sluice.pool.PoolException;
import dev.sluice.pool.PooledConnection;
import dev.sluice.server.upstream.BackendConnection;
import dev.sluice.server.upstream.HostPool;
import dev.sluice.server.upstream.ReplyListener;
import dev.sluice.server.upstream.UpstreamCluster;
import dev.sluice.server.upstream.UpstreamException;
import io.netty.buffer.ByteBuf;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.Set;

import dev.sluice.server.wire.OpMsg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each client operation to the right upstream host over a borrowed backend connection:
 * getMore/killCursors to the host owning the cursor, transaction statements to the transaction's
 * host, everything else to the host server selection picks. The connection is held for one
 * request/reply (or one exhaust stream) and returned, or closed when its state is unknown.
 */
public final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    /** Commands whose replies may open a cursor. */
    private static final Set<String> CURSOR_COMMANDS = Set.of("find", "aggregate", "listCollections",
            "listIndexes", "listSearchIndexes", "bulkWrite", "listDatabases");

    /** Dead idle connections skipped per request before the request fails on one. */
    private static final int MAX_DEAD_CONNECTIONS_SKIPPED = 8;

    private final UpstreamCluster cluster;
    private final CursorTable cursors;
    private final TransactionTable transactions;
    private final PoolErrorTranslator errors;
    private final SessionPolicy sessions;
    /** Null unless Sluice deduplicates retried writes itself (an upstream that does not). */
    private final RetryableWrites retryableWrites;

    public Router(UpstreamCluster cluster, CursorTable cursors, TransactionTable transactions) {
        this(cluster, cursors, transactions, new SessionPolicy(cluster, System::currentTimeMillis));
    }

    public Router(UpstreamCluster cluster, CursorTable cursors, TransactionTable transactions, SessionPolicy sessions) {
        this.cluster = cluster;
        this.cursors = cursors;
        this.transactions = transactions;
        this.errors = new PoolErrorTranslator();
        this.sessions = sessions;
        this.retryableWrites = sessions.catalog() == null ? null
                : new RetryableWrites(sessions.catalog(), (request, callback, attempt, inFlight) ->
                        forward(request, callback, route(request), attempt, inFlight));
    }

    /** What Sluice advertises and refuses about sessions, retryable writes and transactions. */
    public SessionPolicy sessions() {
        return sessions;
    }

    public CursorTable cursors() {
        return cursors;
    }

    public TransactionTable transactions() {
        return transactions;
    }

    /**
     * Forwards one operation; the returned handle cancels it. A transaction statement the upstream
     * cannot run is refused here, before anything is applied; a retryable write goes through the
     * retry catalog when Sluice keeps one.
     */
    public InFlight forward(ForwardRequest request, ForwardCallback callback) {
        BsonDocument refusal = sessions.refusal(request.commandName(), request.facts());
        if (refusal != null) {
            LocalReply.send(request, callback, refusal);
            return new InFlight();
        }
        if (retryableWrites != null && !request.moreToCome()) {
            if (request.facts().isRetryableWrite()) {
                return retryableWrites.forward(request, callback);
            }
            if ("endSessions".equals(request.commandName())) {
                sessions.catalog().end(endedSessions(request.body()));
            }
        }
        InFlight inFlight = newInFlight(request);
        forward(request, callback, route(request), null, inFlight);
        return inFlight;
    }

    /** An acknowledged request's session can be killed upstream if its client leaves; an unacknowledged one runs anyway. */
    private static InFlight newInFlight(ForwardRequest request) {
        return new InFlight(request.moreToCome() ? null : lsidOf(request), request.moreToCome());
    }

    /** Forwards one operation to a given host (cleanup of what a client left on that host). */
    public InFlight forwardTo(String host, ForwardRequest request, ForwardCallback callback) {
        HostPool pool = cluster.pool(host);
        InFlight inFlight = newInFlight(request);
        forward(request, callback, pool != null ? pool : route(request), null, inFlight);
        return inFlight;
    }

    /** @param write the retry-catalog entry of a retryable write, told its outcome; null for other operations */
    private void forward(ForwardRequest request, ForwardCallback callback, HostPool pool, RetryCatalog.Attempt write,
                         InFlight inFlight) {
        callback.onRouted(pool.host());
        checkOut(request, callback, pool, inFlight, 0, write);
    }

    /** Borrows a live connection: ones found dead (upstream closed them while idle) are discarded. */
    private void checkOut(ForwardRequest request, ForwardCallback callback, HostPool pool, InFlight inFlight, int attempt,
                          RetryCatalog.Attempt write) {
        pool.checkOut(request.caller(), (pooled, error) -> {
            if (error != null) {
                request.frame().release();
                inFlight.discard();
                if (write != null) {
                    write.failed();
                }
                callback.onFailure(errors.translate(pool, error));
                return;
            }
            if (!pooled.connection().isUsable() && attempt < MAX_DEAD_CONNECTIONS_SKIPPED) {
                pooled.discard();
                checkOut(request, callback, pool, inFlight, attempt + 1, write);
                return;
            }
            if (!inFlight.attach(pooled)) {
                request.frame().release();
                if (write != null) {
                    write.failed();
                }
                return;
            }
            send(request, pool, pooled, inFlight, callback, write);
        });
    }

    private void send(ForwardRequest request, HostPool pool, PooledConnection<BackendConnection> pooled,
                      InFlight inFlight, ForwardCallback callback, RetryCatalog.Attempt write) {
        BackendConnection connection = pooled.connection();
        if (request.moreToCome()) {
            // The client expects no reply; upstream is asked for one anyway (moreToCome cleared) so
            // the connection goes back to the pool in a known state and failures are logged.
            OpMsg.setFlags(request.frame(), OpMsg.flags(request.frame()) & ~OpMsg.MORE_TO_COME);
            OpMsg.updateChecksumIfPresent(request.frame());
            connection.send(request.frame(), request.commandName(), new ReplyListener() {
                @Override
                public void onReply(ByteBuf frame, boolean moreToCome) {
                    if (LOG.isDebugEnabled() && !ReplyInspector.inspect(frame).ok()) {
                        LOG.debug("[route] unacknowledged {} got an error reply upstream (the client asked for none)",
                                request.commandName());
                    }
                    frame.release();
                    if (!moreToCome) {
                        inFlight.finish();
                        callback.onSent();
                    }
                }

                @Override
                public void onFailure(UpstreamException cause) {
                    inFlight.discard();
                    if (cause.isNetworkError() && !inFlight.isCancelled()) {
                        pool.networkError(pooled, cause);
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
            return;
        }
        if (write != null) {
            write.sent();
        }
        connection.send(request.frame(), request.commandName(), new ReplyListener() {
            /** The client had its last reply: later failures of this connection are not its business. */
            private boolean ended;

            @Override
            public void onReply(ByteBuf frame, boolean moreToCome) {
                if (moreToCome && (inFlight.isCancelled() || !ReplyInspector.inspect(frame).ok())) {
                    endStream(frame);
                    return;
                }
                if (!moreToCome) {
                    ended = true;
                    afterReply(request, pool.host(), frame);
                    inFlight.finish();
                    if (write != null) {
                        record(write, frame);
                    }
                }
                callback.onReply(frame, moreToCome);
            }

            /**
             * An exhaust stream that cannot go on: its client is gone (the rest is not read), or upstream
             * sent an error while saying more is to come. An error is a reply: it goes to the client as
             * the stream's last; the connection, whose next bytes are unknown, is closed, not reused.
             */
            private void endStream(ByteBuf frame) {
                ended = true;
                if (inFlight.isCancelled()) {
                    frame.release();
                    inFlight.discard();
                    return;
                }
                OpMsg.setFlags(frame, OpMsg.flags(frame) & ~OpMsg.MORE_TO_COME);
                inFlight.discard();
                callback.onReply(frame, false);
            }

            @Override
            public void onFailure(UpstreamException cause) {
                inFlight.discard();
                if (write != null) {
                    write.failed();
                }
                if (ended) {
                    return;
                }
                // a client killed or gone mid-operation had its connection closed by Sluice: no network error
                if (cause.isNetworkError() && !inFlight.isCancelled()) {
                    pool.networkError(pooled, cause);
                }
                callback.onFailure(cause);
            }
        }, null);
    }

    /** Picks the host for a request, honouring cursor and transaction pinning. */
    HostPool route(ForwardRequest request) {
        CommandFacts facts = request.facts();
        String name = request.commandName();
        String pinned = null;
        if ("getMore".equals(name)) {
            CursorTable.Cursor cursor = cursors.find(facts.cursorId());
            if (cursor != null) {
                pinned = cursor.host();
                cursors.used(facts.cursorId(), request.owner());
            }
        } else if ("killCursors".equals(name)) {
            BsonValue ids = request.body().get("cursors");
            if (ids != null && ids.isArray() && !ids.asArray().isEmpty()) {
                CursorTable.Cursor cursor = cursors.find(longOf(ids.asArray().get(0)));
                if (cursor != null) {
                    pinned = cursor.host();
                }
            }
        }
        if (pinned == null && facts.inTransaction()) {
            BsonValue lsid = request.body().get("lsid");
            BsonDocument session = lsid.asDocument();
            if (facts.startTransaction()) {
                HostPool chosen = cluster.select();
                transactions.started(session, facts.txnNumber(), chosen.host(), request.owner());
                return chosen;
            }
            TransactionTable.Transaction txn = transactions.find(session);
            if (txn != null) {
                pinned = txn.host();
                transactions.used(session, request.owner());
            }
        }
        if (pinned != null) {
            HostPool pool = cluster.pool(pinned);
            if (pool != null) {
                return pool;
            }
        }
        return cluster.select();
    }

    /** Updates the cursor and transaction tables from a final reply. */
    private void afterReply(ForwardRequest request, String host, ByteBuf reply) {
        String name = request.commandName();
        BsonDocument body = request.body();
        if ("getMore".equals(name)) {
            ReplyInspector.CursorInfo info = ReplyInspector.inspect(reply);
            if (info.cursorId() == 0) {
                cursors.closed(request.facts().cursorId());
            }
        } else if ("killCursors".equals(name)) {
            BsonValue ids = body.get("cursors");
            if (ids != null && ids.isArray()) {
                for (BsonValue id : ids.asArray()) {
                    cursors.closed(longOf(id));
                }
            }
        } else if (CURSOR_COMMANDS.contains(name)) {
            ReplyInspector.CursorInfo info = ReplyInspector.inspect(reply);
            if (info.ok() && info.cursorId() != 0) {
                cursors.opened(info.cursorId(), host, info.namespace(), request.owner());
            }
        } else if (("commitTransaction".equals(name) || "abortTransaction".equals(name)) && request.facts().hasLsid()) {
            BsonValue lsid = body.get("lsid");
            if (lsid != null && lsid.isDocument()) {
                transactions.ended(lsid.asDocument());
            }
        }
    }

    /** Tells a retryable write's catalog entry the reply's body (an unreadable reply: outcome unknown). */
    private static void record(RetryCatalog.Attempt write, ByteBuf reply) {
        org.bson.RawBsonDocument body;
        try {
            body = OpMsg.parse(reply).body();
        } catch (RuntimeException e) {
            write.failed();
            return;
        }
        write.replied(body);
    }

    /** The lsids of an endSessions command. */
    private static java.util.List<BsonDocument> endedSessions(BsonDocument body) {
        BsonValue ids = body.get("endSessions");
        java.util.List<BsonDocument> lsids = new java.util.ArrayList<>();
        if (ids != null && ids.isArray()) {
            for (BsonValue id : ids.asArray()) {
                if (id.isDocument()) {
                    lsids.add(id.asDocument());
                }
            }
        }
        return lsids;
    }

    /** The lsid document of a request, or null. */
    private static BsonDocument lsidOf(ForwardRequest request) {
        if (!request.facts().hasLsid()) {
            return null;
        }
        BsonValue lsid = request.body().get("lsid");
        return lsid != null && lsid.isDocument() ? lsid.asDocument() : null;
    }

    static long longOf(BsonValue v) {
        return v != null && v.isNumber() ? v.asNumber().longValue() : 0;
    }

    /** Maps pool failures to upstream errors with MongoDB codes. */
    static final class PoolErrorTranslator {
        UpstreamException translate(HostPool pool, Throwable error) {
            String host = pool.host();
            if (error instanceof UpstreamException u) {
                return u;
            }
            Throwable cause = error.getCause();
            if (cause instanceof UpstreamException u) {
                return u;
            }
            String message = error.getMessage();
            if (error instanceof dev.sluice.pool.WaitQueueTimeoutException) {
                if (pool.laneCount() > 1) {
                    // the figures in the message are the lane's: add the host's, which the operator configured
                    var s = pool.stats();
                    message = message + "; host " + host + " in all: maxPoolSize=" + s.maxPoolSize() + ", inUse="
                            + s.inUse() + ", available=" + s.available() + ", pending=" + s.refreshing()
                            + ", waiting=" + s.waitQueueSize() + " over " + pool.laneCount() + " event-loop lanes";
                }
                return new UpstreamException(UpstreamException.Kind.POOL_TIMEOUT, host, message, error);
            }
            if (error instanceof dev.sluice.pool.PoolClosedException) {
                return new UpstreamException(UpstreamException.Kind.SHUTTING_DOWN, host,
                        "Sluice is shutting down: pool for " + host + " is closed", error);
            }
            if (error instanceof dev.sluice.pool.PoolClearedException) {
                return new UpstreamException(UpstreamException.Kind.POOL_CLEARED, host, message, error);
            }
            if (error instanceof PoolException) {
                return new UpstreamException(UpstreamException.Kind.HOST_UNREACHABLE, host,
                        "cannot connect to upstream " + host + ": " + message, error);
            }
            return new UpstreamException(UpstreamException.Kind.HOST_UNREACHABLE, host,
                    "cannot reach upstream " + host + ": " + message, error);
        }
    }
}
