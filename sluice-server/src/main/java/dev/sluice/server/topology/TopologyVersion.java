package dev.sluice.server.topology;

import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.types.ObjectId;

/**
 * A server's {@code topologyVersion} (MongoDB 4.4+): which process answered and how many state changes it has
 * seen. Used to ignore hello replies and state change errors older than what is already known.
 *
 * @param processId the server process's id; a different id means a restart, assumed newer
 * @param counter   increases with every topology change of that process
 */
public record TopologyVersion(ObjectId processId, long counter) {

    public TopologyVersion {
        if (processId == null) {
            throw new IllegalArgumentException("topologyVersion.processId is required");
        }
    }

    /**
     * Reads {@code topologyVersion} from a hello reply or command error reply.
     *
     * @param reply the reply (may be null)
     * @return the version, or null when absent or malformed
     */
    public static TopologyVersion from(BsonDocument reply) {
        if (reply == null) {
            return null;
        }
        BsonValue tv = reply.get("topologyVersion");
        if (tv == null || !tv.isDocument()) {
            return null;
        }
        BsonValue pid = tv.asDocument().get("processId");
        BsonValue counter = tv.asDocument().get("counter");
        if (pid == null || !pid.isObjectId() || counter == null || !counter.isNumber()) {
            return null;
        }
        return new TopologyVersion(pid.asObjectId().getValue(), counter.asNumber().longValue());
    }

    /** @return this version as the document a server sends */
    public BsonDocument toDocument() {
        return new BsonDocument("processId", new org.bson.BsonObjectId(processId))
                .append("counter", new org.bson.BsonInt64(counter));
    }

    /**
     * Compares as the SDAM specification does: when either side is null, or the process ids differ, the incoming
     * one is assumed newer.
     *
     * @param current  what is known (may be null)
     * @param incoming what just arrived (may be null)
     * @return negative when {@code incoming} is newer, 0 when equal, positive when {@code current} is newer
     */
    public static int compare(TopologyVersion current, TopologyVersion incoming) {
        if (current == null || incoming == null || !current.processId.equals(incoming.processId)) {
            return -1;
        }
        return Long.compare(current.counter, incoming.counter);
    }
}
