package dev.sluice.server.route;

import dev.sluice.pool.PoolException;
import dev.sluice.server.topology.ReadPreferenceException;
import dev.sluice.server.upstream.HostPool;
import dev.sluice.server.upstream.UpstreamCluster;
import dev.sluice.server.upstream.UpstreamException;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.Set;

/**
 * Sends each client operation to the right upstream host over a borrowed backend connection:
 * getMore/killCursors to the host owning the cursor, transaction statements to the transaction's
 * host, everything else to the server selection picks by the command's {@code $readPreference}
 * (reads) or to the primary (writes and other commands), waiting for one up to
 * serverSelectionTimeoutMS. The connection is held for one request/reply (or one exhaust stream)
 * and returned, or closed when its state is unknown. See {@link Forwarding} for one operation's
 * course, replays included.
 */
public final class Router {
    /** Commands whose replies may open a cursor. */
    private static final Set<String> CURSOR_COMMANDS = Set.of("find", "aggregate", "listCollections",
            "listIndexes", "listSearchIndexes", "bulkWrite", "listDatabases");

    private final UpstreamCluster cluster;
    private final CursorTable cursors;
    private final TransactionTable transactions;
    private final PoolErrorTranslator errors;
    private final SessionPolicy sessions;
    /** Null unless Sluice deduplicates retried writes itself (an upstream that does not). */
    private final RetryableWrites retryableWrites;
    /** Cursors and transactions pinned to a backend connection (an upstream behind a load balancer). */
    private final ConnectionPins pins = new ConnectionPins();

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
                        start(request, callback, attempt, inFlight));
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

    /** Where operations get their backend connection: the pool, or a load balancer connection pinned to them. */
    ConnectionPins pins() {
        return pins;
    }

    /**
     * Forwards one operation; the returned handle cancels it. A transaction statement the upstream
     * cannot run is refused here, before anything is applied; a retryable write goes through the
     * retry catalog when Sluice keeps one.
     */
    public InFlight forward(ForwardRequest request, ForwardCallback callback) {
        BsonDocument refusal = sessions.refusal(request.commandName(), request.facts());
        if (refusal == null) {
            refusal = badReadPreference(request);
        }
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
        start(request, callback, null, inFlight);
        return inFlight;
    }

    /** The error mongos answers for an invalid {@code $readPreference}, or null when it is valid or absent. */
    private static BsonDocument badReadPreference(ForwardRequest request) {
        BsonValue rp = request.body().get(ReadPreferenceArgument.FIELD);
        if (rp == null) {
            return null;
        }
        try {
            dev.sluice.server.topology.ReadPreference.parse(rp);
            return null;
        } catch (ReadPreferenceException e) {
            return LocalReply.error(e.code(), e.codeName(), e.getMessage());
        }
    }

    private void start(ForwardRequest request, ForwardCallback callback, RetryCatalog.Attempt write, InFlight inFlight) {
        new Forwarding(this, cluster, request, callback, write, inFlight, pinned(request)).start();
    }

    /** An acknowledged request's session can be killed upstream if its client leaves; an unacknowledged one runs anyway. */
    private static InFlight newInFlight(ForwardRequest request) {
        return new InFlight(request.moreToCome() ? null : lsidOf(request), request.moreToCome());
    }

    /** Forwards one operation to a given host (cleanup of what a client left on that host). */
    public InFlight forwardTo(String host, ForwardRequest request, ForwardCallback callback) {
        HostPool pool = cluster.pool(host);
        InFlight inFlight = newInFlight(request);
        new Forwarding(this, cluster, request, callback, null, inFlight, pool != null ? pool : pinned(request)).start();
        return inFlight;
    }

    /**
     * The host a request must go to: its cursor's (getMore, killCursors), its transaction's (statements after the
     * first); null when server selection picks one.
     */
    HostPool pinned(ForwardRequest request) {
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
                return null; // selected (the primary), then recorded as the transaction's host
            }
            TransactionTable.Transaction txn = transactions.find(session);
            if (txn != null) {
                pinned = txn.host();
                transactions.used(session, request.owner());
            }
        }
        return pinned == null ? null : cluster.pool(pinned);
    }

    /** Updates the cursor and transaction tables from a final reply. */
    void afterReply(ForwardRequest request, String host, ByteBuf reply) {
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
    static void record(RetryCatalog.Attempt write, ByteBuf reply) {
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

    /** A pool failure as an upstream error with a MongoDB code. */
    UpstreamException translate(HostPool pool, Throwable error) {
        UpstreamException e = errors.translate(pool, error);
        if (pool.loadBalanced() && e.kind() == UpstreamException.Kind.POOL_TIMEOUT) {
            return new UpstreamException(e.kind(), pool.host(), e.getMessage() + "; " + pins.usage(), error);
        }
        return e;
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
