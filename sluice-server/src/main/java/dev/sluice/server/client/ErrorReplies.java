package dev.sluice.server.client;

import dev.sluice.server.upstream.UpstreamException;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.Set;

/** MongoDB error replies ({ok: 0, errmsg, code, codeName}) with the labels a mongos would attach. */
public final class ErrorReplies {
    private static final Set<String> WRITE_COMMANDS = Set.of("insert", "update", "delete", "findAndModify",
            "findandmodify", "bulkWrite");

    private ErrorReplies() {
    }

    public static BsonDocument error(int code, String codeName, String errmsg) {
        return new BsonDocument("ok", new BsonDouble(0))
                .append("errmsg", new BsonString(errmsg))
                .append("code", new BsonInt32(code))
                .append("codeName", new BsonString(codeName));
    }

    /**
     * The reply for an operation that failed upstream: in a transaction a network error is a
     * TransientTransactionError; outside one, a retryable write (it has a txnNumber) gets
     * RetryableWriteError, so drivers retry it.
     */
    public static BsonDocument upstreamFailure(UpstreamException e, String commandName, BsonDocument command) {
        BsonDocument reply = error(e.kind().code(), e.kind().codeName(), e.getMessage());
        boolean retryableKind = e.isNetworkError() || e.kind() == UpstreamException.Kind.POOL_CLEARED
                || e.kind() == UpstreamException.Kind.SHUTTING_DOWN || e.kind() == UpstreamException.Kind.CLOSED_BY_SLUICE;
        if (!retryableKind) {
            return reply;
        }
        BsonArray labels = new BsonArray();
        if (e.systemOverloaded()) {
            // CMAP backpressure: no connection could be established, nothing was sent; drivers back off and retry
            labels.add(new BsonString("SystemOverloadedError"));
            labels.add(new BsonString("RetryableError"));
        }
        boolean inTransaction = command.containsKey("autocommit");
        if (inTransaction) {
            if (!"commitTransaction".equals(commandName)) {
                labels.add(new BsonString("TransientTransactionError"));
            } else {
                labels.add(new BsonString("UnknownTransactionCommitResult"));
            }
        } else if (isRetryableWrite(commandName, command)) {
            labels.add(new BsonString("RetryableWriteError"));
        }
        if (!labels.isEmpty()) {
            reply.append("errorLabels", labels);
        }
        return reply;
    }

    private static boolean isRetryableWrite(String commandName, BsonDocument command) {
        BsonValue txn = command.get("txnNumber");
        return txn != null && (WRITE_COMMANDS.contains(commandName) || "commitTransaction".equals(commandName)
                || "abortTransaction".equals(commandName));
    }
}
