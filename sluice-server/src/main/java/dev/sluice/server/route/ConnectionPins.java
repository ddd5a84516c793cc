package dev.sluice.server.route;

import dev.sluice.pool.CheckOutCallback;
import dev.sluice.pool.PooledConnection;
import dev.sluice.server.upstream.BackendConnection;
import dev.sluice.server.upstream.HostPool;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Connection pinning for an upstream behind a load balancer (Load Balancer spec, Connection Pinning): the balancer
 * may send each backend connection to another mongos, so a cursor's getMore and killCursors, and every statement of
 * a transaction up to its commitTransaction or abortTransaction, go over the backend connection where the cursor or
 * transaction started. That connection stays out of the pool until the cursor is exhausted or killed and the
 * transaction has ended (when the client goes away, {@link OwnerCleanup} kills the cursors and aborts the
 * transactions over it, which releases it). For other upstreams every call goes straight to the pool.
 */
final class ConnectionPins {
    private final ConcurrentHashMap<Long, PinnedConnection> cursors = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<BsonDocument, PinnedConnection> transactions = new ConcurrentHashMap<>();

    /**
     * A connection for {@code request}: the one its cursor or transaction is pinned to (waiting for the operation
     * running on it, if any), else one from the pool of its client's login (userSource: cluster) or Sluice's own,
     * which the reply may pin ({@link #afterReply}).
     */
    void checkOut(HostPool pool, ForwardRequest request, CheckOutCallback<BackendConnection> callback) {
        dev.sluice.server.upstream.UpstreamLogin login = dev.sluice.server.upstream.UpstreamLogin.of(request.owner());
        if (!pool.loadBalanced()) {
            pool.checkOut(request.caller(), login, callback);
            return;
        }
        PinnedConnection pin = find(request);
        if (pin != null) {
            if (pin.isLost()) {
                // asked for once more: it fails with a clear error, never goes elsewhere, and is forgotten
                cursors.values().removeIf(p -> p == pin);
                transactions.values().removeIf(p -> p == pin);
            }
            pin.use(callback);
            return;
        }
        pool.checkOut(request.caller(), login, (pooled, error) ->
                callback.completed(error == null ? new PinnedConnection(pooled) : null, error));
    }

    /** The pin of the cursor (getMore, killCursors) or transaction (a statement after the first) of a request. */
    private PinnedConnection find(ForwardRequest request) {
        CommandFacts facts = request.facts();
        String name = request.commandName();
        if ("getMore".equals(name)) {
            return cursors.get(facts.cursorId());
        }
        if ("killCursors".equals(name)) {
            BsonValue ids = request.body().get("cursors");
            if (ids != null && ids.isArray() && !ids.asArray().isEmpty()) {
                return cursors.get(Pins.longOf(ids.asArray().get(0)));
            }
            return null;
        }
        if (facts.inTransaction() && !facts.startTransaction()) {
            BsonValue lsid = request.body().get("lsid");
            return lsid != null && lsid.isDocument() ? transactions.get(lsid.asDocument()) : null;
        }
        return null;
    }

    /**
     * Pins and releases after a final reply, before the operation checks its connection in: a reply opening a
     * cursor pins it, a transaction's first statement pins the transaction; an exhausted or killed cursor, a
     * commitTransaction or abortTransaction releases theirs.
     */
    void afterReply(ForwardRequest request, PooledConnection<BackendConnection> used, ReplyInspector.Facts reply) {
        if (!(used instanceof PinnedConnection pin)) {
            return;
        }
        CommandFacts facts = request.facts();
        String name = request.commandName();
        if ("getMore".equals(name)) {
            if (reply.cursorId() == 0) {
                unpin(cursors.remove(facts.cursorId()));
            }
        } else if ("killCursors".equals(name)) {
            BsonValue ids = request.body().get("cursors");
            if (ids != null && ids.isArray()) {
                for (BsonValue id : ids.asArray()) {
                    long cursorId = Pins.longOf(id);
                    if (cursors.remove(cursorId, pin)) {
                        pin.release();
                    }
                }
            }
        } else if (("commitTransaction".equals(name) || "abortTransaction".equals(name)) && facts.hasLsid()) {
            BsonValue lsid = request.body().get("lsid");
            if (lsid != null && lsid.isDocument() && transactions.remove(lsid.asDocument(), pin)) {
                pin.release();
            }
        } else {
            if (reply.ok() && reply.cursorId() != 0) {
                pin.hold();
                unpin(cursors.put(reply.cursorId(), pin));
            }
            if (facts.startTransaction() && request.body().get("lsid") instanceof BsonDocument lsid) {
                pin.hold();
                unpin(transactions.put(lsid, pin));
            }
        }
    }

    private static void unpin(PinnedConnection previous) {
        if (previous != null) {
            previous.release();
        }
    }

    /** Which pinned backend connection a cursor uses (a process-unique number), or 0 when it is not pinned. */
    long connectionOf(long cursorId) {
        PinnedConnection pin = cursors.get(cursorId);
        return pin == null ? 0 : pin.pinId();
    }

    /**
     * The Load Balancer spec's addition to a wait-queue timeout: how many of the pool's connections cursors and
     * transactions hold (a connection holding both counts as a transaction's).
     */
    String usage() {
        java.util.Set<PinnedConnection> byTransactions = java.util.Collections.newSetFromMap(
                new java.util.IdentityHashMap<>());
        byTransactions.addAll(transactions.values());
        java.util.Set<PinnedConnection> byCursors = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (PinnedConnection p : cursors.values()) {
            if (!byTransactions.contains(p)) {
                byCursors.add(p);
            }
        }
        return "connections in use by cursors: " + byCursors.size() + ", connections in use by transactions: "
                + byTransactions.size() + " (upstream loadBalanced=true: an open cursor or transaction keeps its "
                + "backend connection until it ends; raise maxPoolSize, or close cursors sooner)";
    }

    /** Cursors pinned to a connection now. */
    int pinnedCursors() {
        return cursors.size();
    }

    /** Transactions pinned to a connection now. */
    int pinnedTransactions() {
        return transactions.size();
    }
}
