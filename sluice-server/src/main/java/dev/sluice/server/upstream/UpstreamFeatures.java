package dev.sluice.server.upstream;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * What an upstream host says about itself in its handshake reply: its role, its wire version and
 * whether it has logical sessions. Sluice advertises to clients only what these allow.
 *
 * @param role                         standalone, replica-set member or router (mongos)
 * @param maxWireVersion               the host's {@code maxWireVersion}
 * @param logicalSessionTimeoutMinutes the host's {@code logicalSessionTimeoutMinutes}, or 0 when it has no sessions
 */
public record UpstreamFeatures(Role role, int maxWireVersion, int logicalSessionTimeoutMinutes) {
    /** The server's role, as drivers tell it from the handshake (server discovery and monitoring spec). */
    public enum Role {
        STANDALONE, REPLICA_SET_MEMBER, ROUTER
    }

    /** Wire version of MongoDB 4.0, the first with transactions on replica sets. */
    static final int WIRE_REPLICA_SET_TRANSACTIONS = 7;
    /** Wire version of MongoDB 4.2, the first with transactions through mongos. */
    static final int WIRE_SHARDED_TRANSACTIONS = 8;
    /** Wire version of MongoDB 3.6, the first with retryable writes. */
    static final int WIRE_RETRYABLE_WRITES = 6;

    /** Reads a {@code hello}/{@code isMaster} reply. */
    public static UpstreamFeatures of(BsonDocument hello) {
        Role role = Role.STANDALONE;
        BsonValue msg = hello.get("msg");
        if (msg != null && msg.isString() && "isdbgrid".equals(msg.asString().getValue())) {
            role = Role.ROUTER;
        } else if (hello.containsKey("setName")) {
            role = Role.REPLICA_SET_MEMBER;
        }
        return new UpstreamFeatures(role, intOf(hello.get("maxWireVersion")),
                Math.max(0, intOf(hello.get("logicalSessionTimeoutMinutes"))));
    }

    /** The host accepts {@code lsid} (logical sessions). */
    public boolean sessions() {
        return logicalSessionTimeoutMinutes > 0;
    }

    /** The host records retryable writes by lsid + txnNumber and answers a retry with the first reply. */
    public boolean deduplicatesRetryableWrites() {
        return sessions() && role != Role.STANDALONE && maxWireVersion >= WIRE_RETRYABLE_WRITES;
    }

    /** The host runs multi-document transactions. */
    public boolean transactions() {
        return sessions() && (role == Role.REPLICA_SET_MEMBER && maxWireVersion >= WIRE_REPLICA_SET_TRANSACTIONS
                || role == Role.ROUTER && maxWireVersion >= WIRE_SHARDED_TRANSACTIONS);
    }

    private static int intOf(BsonValue v) {
        return v != null && v.isNumber() ? v.asNumber().intValue() : 0;
    }
}
