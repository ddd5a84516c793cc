package dev.sluice.server.route;

import dev.sluice.server.upstream.UpstreamCluster;
import dev.sluice.server.upstream.UpstreamFeatures;
import org.bson.BsonDocument;

import java.util.function.LongSupplier;

/**
 * What Sluice tells clients about sessions, retryable writes and transactions, from what its
 * upstream can do. A real upstream says it in its handshake: Sluice advertises its
 * logicalSessionTimeoutMinutes (none before a handshake told it), forwards retryable writes (the
 * upstream deduplicates them) and refuses transactions only when the handshake shows a standalone.
 * The embedded backend has no sessions, no deduplication of retried writes and no transactions:
 * Sluice keeps the retryable-write catalog itself ({@link RetryCatalog}, so it advertises its
 * timeout) and refuses transactions before anything is applied.
 */
public final class SessionPolicy {
    static final int ILLEGAL_OPERATION = 20;
    static final int NO_SUCH_TRANSACTION = 251;

    private final UpstreamCluster cluster;
    private final RetryCatalog catalog;

    /** @param nowMillis the clock of the retry catalog (used only with the embedded backend) */
    public SessionPolicy(UpstreamCluster cluster, LongSupplier nowMillis) {
        this.cluster = cluster;
        this.catalog = cluster.embedded() ? new RetryCatalog(nowMillis) : null;
    }

    /** What Sluice advertises as logicalSessionTimeoutMinutes in hello; 0: not advertised. */
    public int logicalSessionTimeoutMinutes() {
        if (catalog != null) {
            return catalog.sessionTimeoutMinutes();
        }
        UpstreamFeatures f = cluster.features();
        return f == null ? 0 : f.logicalSessionTimeoutMinutes();
    }

    /** The retryable-write catalog Sluice keeps for an upstream that does not deduplicate, or null. */
    public RetryCatalog catalog() {
        return catalog;
    }

    /** The error for a transaction command the upstream cannot run, or null to forward it. */
    BsonDocument refusal(String commandName, CommandFacts facts) {
        boolean end = "commitTransaction".equals(commandName) || "abortTransaction".equals(commandName);
        if (!end && !facts.autocommit() && !facts.startTransaction()) {
            return null;
        }
        String why = whyNoTransactions();
        if (why == null) {
            return null;
        }
        if (facts.startTransaction() && !end) {
            return LocalReply.error(ILLEGAL_OPERATION, "IllegalOperation", "Transactions are not supported: " + why
                    + ". Transactions need a replica set or sharded cluster upstream (sluice serve --upstream "
                    + "mongodb://...). The " + commandName + " was not applied.");
        }
        String txn = facts.txnNumber() >= 0 ? " " + facts.txnNumber() : "";
        return LocalReply.error(NO_SUCH_TRANSACTION, "NoSuchTransaction", "Given transaction number" + txn
                + " does not match any in-progress transactions: " + why + ", so no transaction was started");
    }

    /** Why the upstream has no transactions, or null when it has them (or Sluice does not know yet). */
    private String whyNoTransactions() {
        if (cluster.embedded()) {
            return "Sluice's upstream is its embedded in-memory backend, which has no transactions";
        }
        UpstreamFeatures f = cluster.features();
        if (f == null || f.transactions()) {
            return null;
        }
        return "Sluice's upstream reports no transactions in its handshake (" + f.role().name().toLowerCase()
                + ", maxWireVersion " + f.maxWireVersion() + (f.sessions() ? "" : ", no logical sessions") + ")";
    }
}
