package dev.sluice.server.fleet;

import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * One Sluice of the fleet, as it describes itself in {@code sluice.fleet} at each heartbeat.
 *
 * @param id                 unique for the process's life
 * @param mongodb            the address clients reach its mongodb connector at
 * @param http               the base URL other Sluices reach its HTTP connector at; null: none
 * @param startedAtMillis    when it started
 * @param heartbeatAtMillis  its last heartbeat (the cluster's clock is not used: each instance writes its own)
 * @param draining           whether it is draining
 * @param clients            client connections it holds
 * @param backendConnections pooled backend connections it holds, all hosts
 * @param holding            the most pooled connections it may hold to any one host: the larger of its
 *                           current pool maximum (or the larger size it claims before growing) and the
 *                           sockets it still holds after a shrink; what the budget counts for it
 * @param version            Sluice's version
 */
public record InstanceRecord(String id, String mongodb, String http, long startedAtMillis, long heartbeatAtMillis,
                             boolean draining, int clients, int backendConnections, int holding, String version) {

    /** The document stored, with {@code expireAt} for the TTL index. */
    BsonDocument toDocument(long expireAtMillis) {
        return new BsonDocument("_id", new BsonString(id))
                .append("mongodb", new BsonString(mongodb))
                .append("http", http == null ? BsonNull.VALUE : new BsonString(http))
                .append("startedAt", new BsonDateTime(startedAtMillis))
                .append("heartbeatAt", new BsonDateTime(heartbeatAtMillis))
                .append("expireAt", new BsonDateTime(expireAtMillis))
                .append("draining", BsonBoolean.valueOf(draining))
                .append("clients", new BsonInt32(clients))
                .append("backendConnections", new BsonInt32(backendConnections))
                .append("holding", new BsonInt32(holding))
                .append("version", new BsonString(version));
    }

    /** Reads a stored document; a field of the wrong type makes the whole record unreadable (null). */
    static InstanceRecord fromDocument(BsonDocument d) {
        try {
            BsonValue http = d.get("http");
            return new InstanceRecord(d.getString("_id").getValue(), d.getString("mongodb").getValue(),
                    http == null || !http.isString() ? null : http.asString().getValue(),
                    d.getDateTime("startedAt").getValue(), d.getDateTime("heartbeatAt").getValue(),
                    d.getBoolean("draining", BsonBoolean.FALSE).getValue(),
                    d.getNumber("clients", new BsonInt32(0)).intValue(),
                    d.getNumber("backendConnections", new BsonInt32(0)).intValue(),
                    d.getNumber("holding", new BsonInt64(0)).intValue(),
                    d.getString("version", new BsonString("?")).getValue());
        } catch (org.bson.BsonInvalidOperationException | ClassCastException e) {
            return null;
        }
    }
}
