package dev.sluice.server.testing;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Error replies shaped as mongod 6.0 sends them: ok 0, errmsg, code, codeName, errorLabels, topologyVersion. */
final class MongodErrors {
    static final int NOT_WRITABLE_PRIMARY = 10107;
    static final int NOT_PRIMARY_NO_SECONDARY_OK = 13435;
    static final int NOT_PRIMARY_OR_SECONDARY = 13436;
    static final String RETRYABLE_WRITE_ERROR = "RetryableWriteError";

    /** The codes for which mongod labels a retryable write's error RetryableWriteError. */
    private static final Set<Integer> RETRYABLE = Set.of(6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435,
            13436);
    /** The "not primary" / shutdown family: mongod adds its topologyVersion to these. */
    private static final Set<Integer> STATE_CHANGE = Set.of(91, 189, 10107, 11600, 11602, 13435, 13436);
    private static final Map<Integer, String> NAMES = Map.ofEntries(Map.entry(2, "BadValue"),
            Map.entry(6, "HostUnreachable"), Map.entry(7, "HostNotFound"), Map.entry(11, "UserNotFound"),
            Map.entry(13, "Unauthorized"), Map.entry(18, "AuthenticationFailed"), Map.entry(20, "IllegalOperation"),
            Map.entry(50, "MaxTimeMSExpired"), Map.entry(59, "CommandNotFound"), Map.entry(64, "WriteConcernFailed"),
            Map.entry(89, "NetworkTimeout"), Map.entry(91, "ShutdownInProgress"), Map.entry(100,
                    "UnsatisfiableWriteConcern"), Map.entry(112, "WriteConflict"), Map.entry(189, "PrimarySteppedDown"),
            Map.entry(225, "TransactionTooOld"), Map.entry(251, "NoSuchTransaction"), Map.entry(262,
                    "ExceededTimeLimit"), Map.entry(352, "UnsupportedOpQueryCommand"), Map.entry(9001,
                    "SocketException"), Map.entry(10107, "NotWritablePrimary"), Map.entry(11000, "DuplicateKey"),
            Map.entry(11600, "InterruptedAtShutdown"), Map.entry(11602, "InterruptedDueToReplStateChange"),
            Map.entry(13435, "NotPrimaryNoSecondaryOk"), Map.entry(13436, "NotPrimaryOrSecondary"));

    private MongodErrors() {
    }

    static String codeName(int code) {
        return NAMES.getOrDefault(code, "Location" + code);
    }

    static boolean isRetryable(int code) {
        return RETRYABLE.contains(code);
    }

    /**
     * An error reply. {@code labels} null: the labels mongod would add itself (RetryableWriteError for a retryable
     * code on a retryable write); {@code topologyVersion} is added for state-change codes.
     */
    static BsonDocument error(int code, String errmsg, List<String> labels, boolean retryableWrite,
            TopologyVersion topologyVersion) {
        BsonDocument reply = new BsonDocument();
        if (STATE_CHANGE.contains(code) && topologyVersion != null) {
            reply.append("topologyVersion", topologyVersion.toBson());
        }
        reply.append("ok", new BsonDouble(0)).append("errmsg", new BsonString(errmsg))
                .append("code", new BsonInt32(code)).append("codeName", new BsonString(codeName(code)));
        List<String> effective = labels != null ? labels
                : retryableWrite && isRetryable(code) ? List.of(RETRYABLE_WRITE_ERROR) : List.of();
        if (!effective.isEmpty()) {
            BsonArray array = new BsonArray();
            effective.forEach(label -> array.add(new BsonString(label)));
            reply.append("errorLabels", array);
        }
        return reply;
    }

    static BsonDocument notWritablePrimary(boolean retryableWrite, TopologyVersion tv) {
        return error(NOT_WRITABLE_PRIMARY, "not primary", null, retryableWrite, tv);
    }

    static BsonDocument notPrimaryNoSecondaryOk(TopologyVersion tv) {
        return error(NOT_PRIMARY_NO_SECONDARY_OK, "not primary and secondaryOk=false", null, false, tv);
    }

    static BsonDocument notPrimaryOrSecondary(TopologyVersion tv) {
        return error(NOT_PRIMARY_OR_SECONDARY, "node is not in primary or recovering state", null, false, tv);
    }
}
