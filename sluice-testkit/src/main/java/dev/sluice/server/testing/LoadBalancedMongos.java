package dev.sluice.server.testing;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.ObjectId;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a {@link FakeMongod} adds when it plays a mongos behind a load balancer ({@link FakeMongod#loadBalanced}): a
 * {@code serviceId} in the hello of clients that say {@code loadBalanced: true}, and the state that makes pinning
 * matter: a cursor or a transaction is known only to the mongos it started on, so a getMore, killCursors or
 * commitTransaction that reaches another one fails as mongos would (CursorNotFound 43, NoSuchTransaction 251).
 * A find with a batchSize opens a cursor that lasts {@code batches} getMores.
 */
public final class LoadBalancedMongos {
    private final ObjectId serviceId = new ObjectId();
    private final ConcurrentHashMap<Long, AtomicInteger> cursors = new ConcurrentHashMap<>();
    private final Set<String> transactions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger balancedHellos = new AtomicInteger();
    private final AtomicInteger otherHellos = new AtomicInteger();
    private final AtomicInteger refusedGetMores = new AtomicInteger();
    private final int batches;

    LoadBalancedMongos(int batches) {
        this.batches = batches;
    }

    public ObjectId serviceId() {
        return serviceId;
    }

    /** Hellos with {@code loadBalanced: true} (one per connection of a load-balanced client). */
    public int balancedHellos() {
        return balancedHellos.get();
    }

    /** Hellos without it (a monitor's, or a client not in load-balanced mode). */
    public int otherHellos() {
        return otherHellos.get();
    }

    /** getMores for a cursor this mongos does not know (sent over a connection the cursor did not start on). */
    public int refusedGetMores() {
        return refusedGetMores.get();
    }

    /** Cursors open here now. */
    public int openCursors() {
        return cursors.size();
    }

    /** Adds the serviceId to a hello reply when the hello asked for load-balanced mode. */
    void hello(BsonDocument request, BsonDocument reply) {
        BsonValue lb = request.get("loadBalanced");
        if (lb != null && lb.isBoolean() && lb.asBoolean().getValue()) {
            balancedHellos.incrementAndGet();
            reply.append("serviceId", new BsonObjectId(serviceId));
        } else {
            otherHellos.incrementAndGet();
        }
    }

    /** The reply to a command whose answer depends on this mongos's state, or null to answer as usual. */
    BsonDocument answer(String name, String db, BsonDocument body, long newCursorId) {
        String txn = body.containsKey("lsid") && body.containsKey("txnNumber")
                ? body.get("lsid").asDocument().toJson() + "/" + body.get("txnNumber").asNumber().longValue() : null;
        if (txn != null && body.containsKey("startTransaction")) {
            transactions.add(txn);
        }
        switch (name) {
            case "find" -> {
                if (!body.containsKey("batchSize")) {
                    return null;
                }
                cursors.put(newCursorId, new AtomicInteger(batches));
                return cursor(newCursorId, db + "." + body.getString("find").getValue(), "firstBatch", 0);
            }
            case "getMore" -> {
                long id = body.get("getMore").asNumber().longValue();
                AtomicInteger left = cursors.get(id);
                if (left == null) {
                    refusedGetMores.incrementAndGet();
                    return error(43, "CursorNotFound", "cursor id " + id + " not found");
                }
                long next = left.decrementAndGet() > 0 ? id : 0;
                if (next == 0) {
                    cursors.remove(id);
                }
                return cursor(next, db + "." + body.getString("collection").getValue(), "nextBatch", batches - left.get());
            }
            case "killCursors" -> {
                BsonArray killed = new BsonArray();
                BsonArray notFound = new BsonArray();
                for (BsonValue v : body.getArray("cursors")) {
                    (cursors.remove(v.asNumber().longValue()) != null ? killed : notFound).add(v);
                }
                return new BsonDocument("cursorsKilled", killed).append("cursorsNotFound", notFound)
                        .append("cursorsAlive", new BsonArray()).append("cursorsUnknown", new BsonArray())
                        .append("ok", new BsonDouble(1));
            }
            case "commitTransaction", "abortTransaction" -> {
                if (txn == null || !transactions.remove(txn)) {
                    return error(251, "NoSuchTransaction", "Transaction " + txn + " has not been started");
                }
                return new BsonDocument("ok", new BsonDouble(1));
            }
            default -> {
                if (txn != null && body.containsKey("autocommit") && !transactions.contains(txn)) {
                    return error(251, "NoSuchTransaction", "Transaction " + txn + " has not been started");
                }
                return null;
            }
        }
    }

    /** One document {@code {n: N}} per batch, so clients count what they got. */
    private static BsonDocument cursor(long id, String ns, String batchField, int n) {
        BsonArray batch = new BsonArray();
        batch.add(new BsonDocument("n", new BsonInt32(n)));
        return new BsonDocument("cursor", new BsonDocument("id", new BsonInt64(id)).append("ns", new BsonString(ns))
                .append(batchField, batch)).append("ok", new BsonDouble(1));
    }

    private static BsonDocument error(int code, String codeName, String message) {
        return new BsonDocument("ok", new BsonDouble(0)).append("errmsg", new BsonString(message))
                .append("code", new BsonInt32(code)).append("codeName", new BsonString(codeName));
    }
}
