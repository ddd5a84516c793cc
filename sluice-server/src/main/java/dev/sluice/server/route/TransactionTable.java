package dev.sluice.server.route;

import org.bson.BsonDocument;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open transactions by session id: the host they are pinned to, their txnNumber, and the client
 * connection that used them last.
 */
public final class TransactionTable {
    /** One open transaction. */
    public record Transaction(BsonDocument lsid, long txnNumber, String host, Object owner) {
    }

    private final ConcurrentHashMap<BsonDocument, Transaction> open = new ConcurrentHashMap<>();

    public void started(BsonDocument lsid, long txnNumber, String host, Object owner) {
        open.put(lsid, new Transaction(lsid, txnNumber, host, owner));
    }

    public void used(BsonDocument lsid, Object owner) {
        open.computeIfPresent(lsid, (k, t) -> t.owner() == owner ? t
                : new Transaction(t.lsid(), t.txnNumber(), t.host(), owner));
    }

    public Transaction find(BsonDocument lsid) {
        return open.get(lsid);
    }

    public void ended(BsonDocument lsid) {
        open.remove(lsid);
    }

    public List<Transaction> removeOwnedBy(Object owner) {
        List<Transaction> owned = new ArrayList<>();
        for (Transaction t : open.values()) {
            if (t.owner() == owner && open.remove(t.lsid(), t)) {
                owned.add(t);
            }
        }
        return owned;
    }

    /** The client connections that own at least one entry now (a drain leaves them open). */
    public java.util.Set<Object> owners() {
        java.util.Set<Object> owners = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (var e : open.values()) {
            owners.add(e.owner());
        }
        return owners;
    }

    public int size() {
        return open.size();
    }
}
