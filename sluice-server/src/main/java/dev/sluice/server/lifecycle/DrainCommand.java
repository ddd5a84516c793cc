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
 *
 * <p>{@code {shutdown: 1}} (mongosh's {@code db.shutdownServer()}) does the same: it stops the server the client is
 * connected to, which is Sluice, as on mongos it stops the mongos and not the cluster behind it. It is never
 * forwarded (upstream it would stop a cluster member). Its {@code force} and {@code timeoutSecs} are not read: the
 * drain waits up to shutdownTimeoutMS.
 */
public final class DrainCommand {
    public static final String NAME = "sluiceDrain";
    public static final String SHUTDOWN = "shutdown";

    private DrainCommand() {
    }

    /**
     * The reply; the caller starts the drain once it is sent when {@link #accepted} says so.
     *
     * @param alreadyDraining whether a drain runs already
     */
    public static BsonDocument reply(String commandName, String database, boolean alreadyDraining,
                                     long shutdownTimeoutMS) {
        if (!"admin".equals(database)) {
            return new BsonDocument("ok", new BsonDouble(0))
                    .append("errmsg", new BsonString(commandName + " may only be run against the admin database."))
                    .append("code", new BsonInt32(13)).append("codeName", new BsonString("Unauthorized"));
        }
        return new BsonDocument("draining", BsonBoolean.TRUE)
                .append("alreadyDraining", BsonBoolean.valueOf(alreadyDraining))
                .append("shutdownTimeoutMS", new BsonInt64(shutdownTimeoutMS))
                .append("ok", new BsonDouble(1));
    }

    /** Whether Sluice answers this command with a drain: {@code sluiceDrain} or {@code shutdown}. */
    public static boolean handles(String commandName) {
        return NAME.equals(commandName) || SHUTDOWN.equals(commandName);
    }

    /** Whether {@code reply} accepted the command (so the drain should start). */
    public static boolean accepted(BsonDocument reply) {
        return reply.getNumber("ok").doubleValue() == 1.0;
    }
}
