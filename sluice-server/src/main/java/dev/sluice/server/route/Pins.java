package dev.sluice.server.route;

import dev.sluice.server.upstream.HostPool;
import dev.sluice.server.upstream.UpstreamCluster;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.Set;

/**
 * Where a request must go because of what came before it, and what its reply changes about that:
 * getMore/killCursors go to the host owning the cursor, transaction statements after the first to
 * the transaction's host. The cursor and transaction tables are read here before sending and
 * updated here from final replies; nothing else on the request path writes them.
 */
final class Pins {
    /** Commands whose replies may open a cursor. */
    private static final Set<String> CURSOR_COMMANDS = Set.of("find", "aggregate", "listCollections",
            "listIndexes", "listSearchIndexes", "bulkWrite", "listDatabases");

    private final UpstreamCluster cluster;
    private final CursorTable cursors;
    private final TransactionTable transactions;
    /** Cursors and transactions pinned to a backend connection (an upstream behind a load balancer). */
    private final ConnectionPins connections = new ConnectionPins();

    /** Where a load-balanced upstream's operations get their connection: the pool, or the one pinned to them. */
    ConnectionPins connections() {
        return connections;
    }

    Pins(UpstreamCluster cluster, CursorTable cursors, TransactionTable transactions) {
        this.cluster = cluster;
        this.cursors = cursors;
        this.transactions = transactions;
    }

    UpstreamCluster cluster() {
        return cluster;
    }

    CursorTable cursors() {
        return cursors;
    }

    TransactionTable transactions() {
        return transactions;
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

    /** The first statement of a transaction was routed to {@code host}: later ones follow it there. */
    void transactionStarted(ForwardRequest request, String host) {
        transactions.started(request.body().getDocument("lsid"), request.facts().txnNumber(), host, request.owner());
    }

    /** Updates the cursor and transaction tables from what a final reply says. */
    void afterReply(ForwardRequest request, String host, ReplyInspector.Facts reply) {
        String name = request.commandName();
        if ("getMore".equals(name)) {
            if (reply.cursorId() == 0) {
                cursors.closed(request.facts().cursorId());
            }
        } else if ("killCursors".equals(name)) {
            BsonValue ids = request.body().get("cursors");
            if (ids != null && ids.isArray()) {
                for (BsonValue id : ids.asArray()) {
                    cursors.closed(longOf(id));
                }
            }
        } else if (CURSOR_COMMANDS.contains(name)) {
            if (reply.ok() && reply.cursorId() != 0) {
                cursors.opened(reply.cursorId(), host, reply.namespace(), request.owner());
            }
        } else if (("commitTransaction".equals(name) || "abortTransaction".equals(name)) && request.facts().hasLsid()) {
            BsonValue lsid = request.body().get("lsid");
            if (lsid != null && lsid.isDocument()) {
                transactions.ended(lsid.asDocument());
            }
        }
    }

    static long longOf(BsonValue v) {
        return v != null && v.isNumber() ? v.asNumber().longValue() : 0;
    }
}
