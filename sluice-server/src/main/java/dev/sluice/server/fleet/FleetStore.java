package dev.sluice.server.fleet;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The fleet's documents in the cluster's reserved {@code sluice} database: {@code sluice.fleet} (one
 * document per instance, refreshed at each heartbeat; a TTL index on {@code expireAt} removes the
 * documents of instances that died) and {@code sluice.fleetSecret} (the key that signs requests
 * between instances, created once by whichever instance comes first). Blocking calls, each bounded by
 * {@code timeoutMS}; run them off the event loops.
 */
public final class FleetStore {
    static final String DATABASE = "sluice";
    static final String INSTANCES = "fleet";
    static final String SECRETS = "fleetSecret";
    private static final String SECRET_ID = "v1";
    private static final BsonDocument MAJORITY = new BsonDocument("w", new BsonString("majority"));

    private final ClusterCommands commands;
    private final long timeoutMS;

    public FleetStore(ClusterCommands commands, long timeoutMS) {
        this.commands = commands;
        this.timeoutMS = timeoutMS;
    }

    /** Creates the TTL index (idempotent). */
    public void ensureIndex() {
        BsonDocument index = new BsonDocument("key", new BsonDocument("expireAt", new BsonInt32(1)))
                .append("name", new BsonString("expireAt_ttl"))
                .append("expireAfterSeconds", new BsonInt32(0));
        run(new BsonDocument("createIndexes", new BsonString(INSTANCES)).append("indexes", new BsonArray(List.of(index))),
                "createIndexes on sluice.fleet");
    }

    /** Writes this instance's document (upsert). */
    public void heartbeat(InstanceRecord self, long expireAtMillis) {
        BsonDocument update = new BsonDocument("q", new BsonDocument("_id", new BsonString(self.id())))
                .append("u", self.toDocument(expireAtMillis))
                .append("upsert", org.bson.BsonBoolean.TRUE);
        BsonDocument reply = run(new BsonDocument("update", new BsonString(INSTANCES))
                .append("updates", new BsonArray(List.of(update))), "update on sluice.fleet");
        failOnWriteErrors(reply, "update on sluice.fleet");
    }

    /** The instances whose heartbeat is newer than {@code sinceMillis}, at most {@code limit}, by id. */
    public List<InstanceRecord> live(long sinceMillis, int limit) {
        BsonDocument reply = run(new BsonDocument("find", new BsonString(INSTANCES))
                .append("filter", new BsonDocument("heartbeatAt", new BsonDocument("$gt", new BsonDateTime(sinceMillis))))
                .append("sort", new BsonDocument("_id", new BsonInt32(1)))
                .append("limit", new BsonInt32(limit))
                .append("batchSize", new BsonInt32(limit))
                .append("singleBatch", org.bson.BsonBoolean.TRUE), "find on sluice.fleet");
        List<InstanceRecord> out = new ArrayList<>();
        BsonValue cursor = reply.get("cursor");
        if (cursor == null || !cursor.isDocument()) {
            throw new FleetException("find on sluice.fleet: reply without a cursor");
        }
        for (BsonValue v : cursor.asDocument().getArray("firstBatch", new BsonArray())) {
            if (v.isDocument()) {
                InstanceRecord r = InstanceRecord.fromDocument(v.asDocument());
                if (r != null) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** Removes this instance's document (at a clean stop). */
    public void remove(String id) {
        run(new BsonDocument("delete", new BsonString(INSTANCES)).append("deletes", new BsonArray(List.of(
                new BsonDocument("q", new BsonDocument("_id", new BsonString(id))).append("limit", new BsonInt32(1))))),
                "delete on sluice.fleet");
    }

    /** The fleet's secret: read it, or create it when this is the first instance ever. */
    public byte[] secret(SecureRandom random) {
        byte[] found = readSecret();
        if (found != null) {
            return found;
        }
        byte[] fresh = new byte[32];
        random.nextBytes(fresh);
        BsonDocument doc = new BsonDocument("_id", new BsonString(SECRET_ID)).append("key", new BsonBinary(fresh))
                .append("createdAt", new BsonDateTime(System.currentTimeMillis()));
        BsonDocument reply = run(new BsonDocument("insert", new BsonString(SECRETS))
                .append("documents", new BsonArray(List.of(doc))).append("writeConcern", MAJORITY),
                "insert on sluice.fleetSecret");
        BsonValue errors = reply.get("writeErrors");
        if (errors != null && errors.isArray() && !errors.asArray().isEmpty()) {
            // another instance created it first: use theirs
            byte[] theirs = readSecret();
            if (theirs == null) {
                throw new FleetException("sluice.fleetSecret: insert failed (" + errors.asArray().get(0)
                        + ") and no secret can be read");
            }
            return theirs;
        }
        return fresh;
    }

    private byte[] readSecret() {
        BsonDocument reply = run(new BsonDocument("find", new BsonString(SECRETS))
                .append("filter", new BsonDocument("_id", new BsonString(SECRET_ID)))
                .append("limit", new BsonInt32(1)).append("singleBatch", org.bson.BsonBoolean.TRUE),
                "find on sluice.fleetSecret");
        BsonValue cursor = reply.get("cursor");
        if (cursor == null || !cursor.isDocument()) {
            return null;
        }
        BsonArray batch = cursor.asDocument().getArray("firstBatch", new BsonArray());
        if (batch.isEmpty() || !batch.get(0).isDocument()) {
            return null;
        }
        BsonValue key = batch.get(0).asDocument().get("key");
        return key != null && key.isBinary() && key.asBinary().getData().length >= 32 ? key.asBinary().getData() : null;
    }

    private static void failOnWriteErrors(BsonDocument reply, String what) {
        BsonValue errors = reply.get("writeErrors");
        if (errors != null && errors.isArray() && !errors.asArray().isEmpty()) {
            throw new FleetException(what + ": " + errors.asArray().get(0));
        }
    }

    private BsonDocument run(BsonDocument command, String what) {
        BsonDocument reply;
        try {
            reply = commands.run(DATABASE, command).toCompletableFuture().get(timeoutMS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new FleetException(what + ": no reply within " + timeoutMS + " ms (fleet.peerTimeoutMS)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetException(what + ": interrupted");
        } catch (ExecutionException e) {
            throw new FleetException(what + ": " + e.getCause().getMessage());
        }
        if (reply.getNumber("ok", new BsonInt64(0)).doubleValue() != 1.0) {
            throw new FleetException(what + ": " + reply.getString("errmsg", new BsonString("failed")).getValue()
                    + " (code " + reply.getNumber("code", new BsonInt32(0)).intValue() + ")");
        }
        return reply;
    }
}
