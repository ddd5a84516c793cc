package dev.sluice.server.lifecycle;

import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;

/**
 * {@code {sluiceDrain: 1}} on the admin database: Sluice's own command to start a drain, as SIGTERM does
 * (readiness withdrawn, no new connections, in-flight work finishes within shutdownTimeoutMS, then the
 * process exits). Replies {@code {ok: 1, draining: true, shutdownTimeoutMS}} before the drain starts;
 * a second call while draining says so and changes nothing. Authorization (mongod's {@code shutdown} action
 * on the cluster, as for {@code shutdown}) is the command gate's, before this runs.
 */
public final class DrainCommand {
    public static final String NAME = "sluiceDrain";

    private DrainCommand() {
    }

    /**
     * The reply; the caller starts the drain once it is sent when {@link #accepted} says so.
     *
     * @param alreadyDraining whether a drain runs already
     */
    public static BsonDocument reply(String database, boolean alreadyDraining, long shutdownTimeoutMS) {
        if (!"admin".equals(database)) {
            return new BsonDocument("ok", new BsonDouble(0))
                    .append("errmsg", new BsonString(NAME + " may only be run against the admin database."))
                    .append("code", new BsonInt32(13)).append("codeName", new BsonString("Unauthorized"));
        }
        return new BsonDocument("draining", BsonBoolean.TRUE)
                .append("alreadyDraining", BsonBoolean.valueOf(alreadyDraining))
                .append("shutdownTimeoutMS", new BsonInt64(shutdownTimeoutMS))
                .append("ok", new BsonDouble(1));
    }

    /** Whether {@code reply} accepted the command (so the drain should start). */
    public static boolean accepted(BsonDocument reply) {
        return reply.getNumber("ok").doubleValue() == 1.0;
    }
}
