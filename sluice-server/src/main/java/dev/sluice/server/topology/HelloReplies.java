package dev.sluice.server.topology;

import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.types.ObjectId;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Turns a hello (or legacy isMaster) reply into a {@link ServerDescription}. Tolerant: a field of the wrong type is
 * treated as absent and an address that does not parse is skipped, so a strange reply never throws.
 */
final class HelloReplies {
    /** The most members a replica set may have (MongoDB's limit), so the most one member list may name. */
    static final int MAX_MEMBERS = 50;

    private HelloReplies() {
    }

    /**
     * @param address   the server that answered
     * @param reply     its reply
     * @param rtt       the average round trip time to record
     * @param nowMillis the topology clock
     * @return the description; Unknown (with an error) when the reply is not {@code ok: 1}
     */
    static ServerDescription parse(ServerAddress address, BsonDocument reply, OptionalDouble rtt, long nowMillis) {
        if (!isOk(reply)) {
            return ServerDescription.unknown(address, "hello failed: " + errorText(reply), null, nowMillis);
        }
        String setName = string(reply, "setName");
        ServerType type = typeOf(reply, setName);
        boolean member = type.isReplicaSetMember() && type != ServerType.RS_GHOST;
        Long lastWriteDate = null;
        BsonValue lastWrite = reply.get("lastWrite");
        if (lastWrite != null && lastWrite.isDocument()) {
            BsonValue d = lastWrite.asDocument().get("lastWriteDate");
            if (d != null && d.isDateTime()) {
                lastWriteDate = d.asDateTime().getValue();
            }
        }
        BsonValue electionId = reply.get("electionId");
        return new ServerDescription(address, type, null, rtt, nowMillis, lastWriteDate,
                integer(reply, "minWireVersion", 0), integer(reply, "maxWireVersion", 0), address(reply, "me"),
                member ? addresses(reply, "hosts") : List.of(), member ? addresses(reply, "passives") : List.of(),
                member ? addresses(reply, "arbiters") : List.of(), tags(reply), type == ServerType.RS_GHOST ? null : setName,
                electionId != null && electionId.isObjectId() ? electionId.asObjectId().getValue() : (ObjectId) null,
                reply.containsKey("setVersion") && reply.get("setVersion").isNumber()
                        ? Integer.valueOf(reply.get("setVersion").asNumber().intValue()) : null,
                address(reply, "primary"),
                reply.containsKey("logicalSessionTimeoutMinutes") && reply.get("logicalSessionTimeoutMinutes").isNumber()
                        ? Integer.valueOf(reply.get("logicalSessionTimeoutMinutes").asNumber().intValue()) : null,
                TopologyVersion.from(reply));
    }

    /** @return true when the reply carries {@code ok: 1} (any numeric or boolean true) */
    static boolean isOk(BsonDocument reply) {
        if (reply == null) {
            return false;
        }
        BsonValue ok = reply.get("ok");
        if (ok == null) {
            return false;
        }
        if (ok.isBoolean()) {
            return ok.asBoolean().getValue();
        }
        return ok.isNumber() && ok.asNumber().doubleValue() == 1.0;
    }

    static String errorText(BsonDocument reply) {
        if (reply == null || reply.isEmpty()) {
            return "empty reply";
        }
        String msg = string(reply, "errmsg");
        BsonValue code = reply.get("code");
        return (msg == null ? "no errmsg" : msg) + (code != null && code.isNumber() ? " (code " + code.asNumber().intValue() + ")" : "");
    }

    private static ServerType typeOf(BsonDocument reply, String setName) {
        if (bool(reply, "isreplicaset")) {
            return ServerType.RS_GHOST;
        }
        if ("isdbgrid".equals(string(reply, "msg"))) {
            return ServerType.MONGOS;
        }
        if (setName == null) {
            return ServerType.STANDALONE;
        }
        if (bool(reply, "hidden")) {
            return ServerType.RS_OTHER;
        }
        boolean writablePrimary = reply.containsKey("isWritablePrimary") ? bool(reply, "isWritablePrimary")
                : bool(reply, "ismaster");
        if (writablePrimary) {
            return ServerType.RS_PRIMARY;
        }
        if (bool(reply, "secondary")) {
            return ServerType.RS_SECONDARY;
        }
        if (bool(reply, "arbiterOnly")) {
            return ServerType.RS_ARBITER;
        }
        return ServerType.RS_OTHER;
    }

    private static boolean bool(BsonDocument d, String key) {
        BsonValue v = d.get(key);
        if (v == null) {
            return false;
        }
        if (v.isBoolean()) {
            return v.asBoolean().getValue();
        }
        return v.isNumber() && v.asNumber().doubleValue() != 0;
    }

    static String string(BsonDocument d, String key) {
        BsonValue v = d.get(key);
        return v != null && v.isString() ? v.asString().getValue() : null;
    }

    private static int integer(BsonDocument d, String key, int absent) {
        BsonValue v = d.get(key);
        return v != null && v.isNumber() ? v.asNumber().intValue() : absent;
    }

    private static ServerAddress address(BsonDocument d, String key) {
        String s = string(d, key);
        if (s == null) {
            return null;
        }
        try {
            return ServerAddress.parse(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A member list ({@code hosts}, {@code passives}, {@code arbiters}): at most {@value #MAX_MEMBERS} addresses, a
     * replica set's most members (MongoDB refuses a configuration with more), so a reply listing millions (up to
     * maxUpstreamReplyBytes) costs neither a monitor per entry nor a quadratic walk; the rest is ignored.
     */
    private static List<ServerAddress> addresses(BsonDocument d, String key) {
        BsonValue v = d.get(key);
        if (v == null || !v.isArray()) {
            return List.of();
        }
        java.util.LinkedHashSet<ServerAddress> out = new java.util.LinkedHashSet<>();
        for (BsonValue e : v.asArray()) {
            if (out.size() == MAX_MEMBERS) {
                break;
            }
            if (e.isString()) {
                try {
                    out.add(ServerAddress.parse(e.asString().getValue()));
                } catch (IllegalArgumentException ignored) {
                    // a member address that does not parse cannot be monitored: skip it
                }
            }
        }
        return List.copyOf(out);
    }

    private static Map<String, String> tags(BsonDocument d) {
        BsonValue v = d.get("tags");
        if (v == null || !v.isDocument()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, BsonValue> e : v.asDocument().entrySet()) {
            if (e.getValue().isString()) {
                out.put(e.getKey(), e.getValue().asString().getValue());
            }
        }
        return out;
    }
}
