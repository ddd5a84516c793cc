package dev.sluice.server.testing;

import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonValue;
import org.bson.types.ObjectId;

/** A hello {@code topologyVersion}: the process it comes from and a counter that grows on each state change. */
record TopologyVersion(ObjectId processId, long counter) {

    BsonDocument toBson() {
        return new BsonDocument("processId", new BsonObjectId(processId)).append("counter", new BsonInt64(counter));
    }

    /** The topologyVersion a client sent, or {@code null} when absent or malformed. */
    static TopologyVersion parse(BsonValue value) {
        if (value == null || !value.isDocument()) {
            return null;
        }
        BsonDocument doc = value.asDocument();
        BsonValue processId = doc.get("processId");
        BsonValue counter = doc.get("counter");
        if (processId == null || !processId.isObjectId() || counter == null || !counter.isNumber()) {
            return null;
        }
        return new TopologyVersion(processId.asObjectId().getValue(), counter.asNumber().longValue());
    }

    /** Whether a client holding {@code known} must be answered at once (it is stale or from another process). */
    boolean isNewerThan(TopologyVersion known) {
        return !processId.equals(known.processId) || counter > known.counter;
    }
}
