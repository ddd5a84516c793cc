package dev.sluice.server.route;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * What the embedded in-memory backend cannot do and would answer badly: a change stream (an {@code aggregate}
 * whose first stage is {@code $changeStream}) gets, from the backend, an error with no code and the text
 * "Unknown error: null". Sluice answers what mongod answers on a standalone, which has no oplog to stream from:
 * code 40573, the stage "only supported on replica sets", saying why. Transactions are refused by
 * {@link SessionPolicy}.
 */
final class EmbeddedLimits {
    static final int CHANGE_STREAM_NOT_SUPPORTED = 40573;

    private EmbeddedLimits() {
    }

    /** The error for a request the embedded backend cannot run, or null to forward it. */
    static BsonDocument refusal(ForwardRequest request) {
        if (!"aggregate".equals(request.commandName()) || !opensChangeStream(request.body())) {
            return null;
        }
        return LocalReply.error(CHANGE_STREAM_NOT_SUPPORTED, "Location40573",
                "The $changeStream stage is only supported on replica sets: Sluice's upstream is its embedded "
                        + "in-memory backend, which has no oplog. Change streams need a replica set or sharded "
                        + "cluster upstream (sluice serve --upstream mongodb://...).");
    }

    private static boolean opensChangeStream(BsonDocument body) {
        BsonValue pipeline = body.get("pipeline");
        if (pipeline == null || !pipeline.isArray() || pipeline.asArray().isEmpty()) {
            return false;
        }
        BsonValue first = pipeline.asArray().get(0);
        return first.isDocument() && first.asDocument().containsKey("$changeStream");
    }
}
