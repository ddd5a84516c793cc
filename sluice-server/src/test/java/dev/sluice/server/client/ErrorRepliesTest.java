package dev.sluice.server.client;

import dev.sluice.server.upstream.UpstreamException;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorRepliesTest {
    private final UpstreamException network = new UpstreamException(UpstreamException.Kind.NETWORK_ERROR, "db1:27017", "boom");

    @Test
    void retryableWriteGetsRetryableWriteError() {
        BsonDocument reply = ErrorReplies.upstreamFailure(network, "insert", BsonDocument.parse("{insert: 'c', txnNumber: 1}"));
        assertThat(reply.getInt32("code").getValue()).isEqualTo(9001);
        assertThat(reply.getString("codeName").getValue()).isEqualTo("SocketException");
        assertThat(reply.getArray("errorLabels").get(0).asString().getValue()).isEqualTo("RetryableWriteError");
    }

    @Test
    void writeWithoutTxnNumberIsNotLabelled() {
        BsonDocument reply = ErrorReplies.upstreamFailure(network, "insert", BsonDocument.parse("{insert: 'c'}"));
        assertThat(reply.containsKey("errorLabels")).isFalse();
    }

    @Test
    void statementInATransactionIsATransientTransactionError() {
        BsonDocument reply = ErrorReplies.upstreamFailure(network, "insert",
                BsonDocument.parse("{insert: 'c', txnNumber: 1, autocommit: false}"));
        assertThat(reply.getArray("errorLabels").get(0).asString().getValue()).isEqualTo("TransientTransactionError");
        BsonDocument commit = ErrorReplies.upstreamFailure(network, "commitTransaction",
                BsonDocument.parse("{commitTransaction: 1, txnNumber: 1, autocommit: false}"));
        assertThat(commit.getArray("errorLabels").get(0).asString().getValue()).isEqualTo("UnknownTransactionCommitResult");
    }

    @Test
    void poolTimeoutIsNotRetryable() {
        UpstreamException timeout = new UpstreamException(UpstreamException.Kind.POOL_TIMEOUT, "db1:27017", "timed out");
        BsonDocument reply = ErrorReplies.upstreamFailure(timeout, "insert", BsonDocument.parse("{insert: 'c', txnNumber: 1}"));
        assertThat(reply.getInt32("code").getValue()).isEqualTo(202);
        assertThat(reply.containsKey("errorLabels")).isFalse();
    }
}
