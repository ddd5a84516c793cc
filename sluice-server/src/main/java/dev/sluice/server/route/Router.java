package dev.sluice.server.route;

import dev.sluice.server.topology.ReadPreferenceException;
import dev.sluice.server.upstream.HostPool;
import dev.sluice.server.upstream.UpstreamCluster;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Where each client operation goes, decided once: refused here when it cannot run (a transaction statement the
 * upstream cannot run, an invalid {@code $readPreference}); through the retry catalog when Sluice deduplicates
 * retried writes itself; then pinned ({@link Pins}: getMore/killCursors to the cursor's host, transaction
 * statements to the transaction's host) or left to server selection. One {@link Forwarding} per operation then
 * selects a server (the topology's selection, by {@code $readPreference} for reads, the primary otherwise) and a
 * {@link Forwarder} checks a connection out, sends and ends the operation.
 */
public final class Router {
    private final UpstreamCluster cluster;
    private final Pins pins;
    private final SessionPolicy sessions;
    /** Null unless Sluice deduplicates retried writes itself (an upstream that does not). */
    private final RetryableWrites retryableWrites;

    public Router(UpstreamCluster cluster, CursorTable cursors, TransactionTable transactions) {
        this(cluster, cursors, transactions, new SessionPolicy(cluster, System::currentTimeMillis));
    }

    public Router(UpstreamCluster cluster, CursorTable cursors, TransactionTable transactions, SessionPolicy sessions) {
        this.cluster = cluster;
        this.pins = new Pins(cluster, cursors, transactions);
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
        return pins.cursors();
    }

    public TransactionTable transactions() {
        return pins.transactions();
    }

    /** Where operations get their backend connection: the pool, or a load balancer connection pinned to them. */
    ConnectionPins connectionPins() {
        return pins.connections();
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
        if (refusal == null && cluster.embedded()) {
            refusal = EmbeddedLimits.refusal(request);
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
        Forwarding operation = new Forwarding(pins, request, callback, null, null, pins.pinned(request));
        operation.start();
        return operation;
    }

    /** Forwards one operation to a given host (cleanup of what a client left on that host). */
    public InFlight forwardTo(String host, ForwardRequest request, ForwardCallback callback) {
        HostPool pool = cluster.pool(host);
        Forwarding operation = new Forwarding(pins, request, callback, null, null,
                pool != null ? pool : pins.pinned(request));
        operation.start();
        return operation;
    }

    private void start(ForwardRequest request, ForwardCallback callback, RetryCatalog.Attempt write, InFlight inFlight) {
        new Forwarding(pins, request, callback, write, inFlight, pins.pinned(request)).start();
    }

    /** The error mongos answers for an invalid {@code $readPreference}, or null when it is valid or absent. */
    private static BsonDocument badReadPreference(ForwardRequest request) {
        if (!request.facts().hasReadPreference()) {
            return null; // the common case, known without scanning the body again
        }
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

}
