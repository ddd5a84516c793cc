package dev.sluice.server.testing;

import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonTimestamp;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The replica set's logical clock: the {@code operationTime} and {@code $clusterTime} its members gossip.
 * A write ticks it; other replies report the latest value. Timestamps are (seconds of the wall clock, increment).
 */
final class ClusterClock {
    private static final BsonDocument SIGNATURE = new BsonDocument("hash", new BsonBinary(new byte[20]))
            .append("keyId", new BsonInt64(0));

    private final Clock clock;
    private final AtomicLong last = new AtomicLong();

    ClusterClock(Clock clock) {
        this.clock = clock;
        tick();
    }

    /** A new cluster time, after every earlier one. */
    BsonTimestamp tick() {
        long seconds = clock.millis() / 1000;
        return new BsonTimestamp(last.updateAndGet(prev -> Math.max(prev + 1, seconds << 32 | 1)));
    }

    BsonTimestamp now() {
        return new BsonTimestamp(last.get());
    }

    /** Appends {@code $clusterTime} and {@code operationTime} as a replica-set member does to each reply. */
    static void gossip(BsonDocument reply, BsonTimestamp time) {
        reply.append("$clusterTime", new BsonDocument("clusterTime", time).append("signature", SIGNATURE.clone()))
                .append("operationTime", time);
    }
}
