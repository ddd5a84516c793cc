package dev.sluice.server.testing;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The replica set's retryable-write history, shared by all members as mongod's is replicated: per session,
 * the latest txnNumber and its reply. A write seen before gets that reply without running again; an older
 * txnNumber gets TransactionTooOld. A write that failed (ok 0, or no reply) is forgotten, so its retry runs.
 * "No reply" means the store never answered: a write that reached the store is always answered, even when the
 * client connection that sent it is gone (see {@link BackendLink}), so its entry records what the store did.
 */
final class RetryableWrites {
    private record Entry(long txnNumber, CompletableFuture<BsonDocument> reply) {
    }

    private final Map<BsonValue, Entry> sessions = new HashMap<>();
    private final AtomicLong retried = new AtomicLong();

    /** The reply to write {@code txnNumber} of session {@code lsid}: recorded, or {@code execute}'s. */
    CompletableFuture<BsonDocument> run(BsonValue lsid, long txnNumber, Supplier<CompletableFuture<BsonDocument>> execute) {
        Entry entry;
        synchronized (this) {
            Entry known = sessions.get(lsid);
            if (known != null && txnNumber < known.txnNumber()) {
                return CompletableFuture.completedFuture(MongodErrors.error(225, "Retryable write with txnNumber "
                        + txnNumber + " is prohibited on session " + lsid + " because a newer retryable write with "
                        + "txnNumber " + known.txnNumber() + " has already started on this session.", null, false,
                        null));
            }
            if (known != null && txnNumber == known.txnNumber()) {
                retried.incrementAndGet();
                return known.reply();
            }
            entry = new Entry(txnNumber, new CompletableFuture<>());
            sessions.put(lsid, entry);
        }
        execute.get().whenComplete((reply, error) -> {
            if (error != null || !isOk(reply)) {
                synchronized (this) {
                    sessions.remove(lsid, entry);
                }
            }
            if (error != null) {
                entry.reply().completeExceptionally(error);
            } else {
                entry.reply().complete(reply);
            }
        });
        return entry.reply();
    }

    static boolean isOk(BsonDocument reply) {
        BsonValue ok = reply.get("ok");
        return ok != null && ok.isNumber() && ok.asNumber().doubleValue() == 1;
    }

    /** How many writes were answered from the history instead of running again. */
    long retried() {
        return retried.get();
    }
}
