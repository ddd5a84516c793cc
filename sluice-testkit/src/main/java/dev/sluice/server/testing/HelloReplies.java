package dev.sluice.server.testing;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonTimestamp;

import java.util.List;
import java.util.Map;

/** The hello / isMaster reply of a replica-set member, field for field as mongod 6.0 writes it. */
final class HelloReplies {
    static final int MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
    static final int MAX_MESSAGE_SIZE_BYTES = 48_000_000;
    static final int MAX_WRITE_BATCH_SIZE = 100_000;

    /** What one member adds to the set's view: its address and its own, unreplicated settings. */
    record Facts(String host, TopologyVersion topologyVersion, int maxWireVersion, long lagMS, int connectionId) {
    }

    private HelloReplies() {
    }

    /**
     * @param commandName hello answers isWritablePrimary, isMaster / ismaster answer ismaster
     * @param helloOk     the client sent helloOk: true
     */
    static BsonDocument build(ReplicaSetView view, Facts facts, String commandName, boolean helloOk, long nowMillis,
            BsonTimestamp clusterTime) {
        String writable = commandName.equals("hello") ? "isWritablePrimary" : "ismaster";
        BsonDocument reply = new BsonDocument("topologyVersion", facts.topologyVersion().toBson());
        MemberState state = view.state(facts.host());
        if (state == MemberState.REMOVED) {
            reply.append(writable, BsonBoolean.FALSE).append("secondary", BsonBoolean.FALSE)
                    .append("info", new BsonString("Does not have a valid replica set config"))
                    .append("isreplicaset", BsonBoolean.TRUE);
        } else {
            ReplicaSetView.Member self = view.member(facts.host());
            reply.append("hosts", strings(view.hosts(MemberRole.ELECTABLE)));
            appendIfAny(reply, "passives", view.hosts(MemberRole.PASSIVE));
            appendIfAny(reply, "arbiters", view.hosts(MemberRole.ARBITER));
            reply.append("setName", new BsonString(view.setName()))
                    .append("setVersion", new BsonInt32(view.setVersion()))
                    .append(writable, BsonBoolean.valueOf(state == MemberState.PRIMARY))
                    .append("secondary", BsonBoolean.valueOf(state == MemberState.SECONDARY));
            if (view.primaryHost() != null) {
                reply.append("primary", new BsonString(view.primaryHost()));
            }
            if (state == MemberState.ARBITER) {
                reply.append("arbiterOnly", BsonBoolean.TRUE);
            }
            if (self.role() == MemberRole.PASSIVE || self.role() == MemberRole.HIDDEN) {
                reply.append("passive", BsonBoolean.TRUE);
            }
            if (self.role() == MemberRole.HIDDEN) {
                reply.append("hidden", BsonBoolean.TRUE);
            }
            if (!self.tags().isEmpty()) {
                reply.append("tags", tags(self.tags()));
            }
            reply.append("me", new BsonString(facts.host()));
            if (state == MemberState.PRIMARY) {
                reply.append("electionId", new BsonObjectId(view.electionId()));
            }
            if (state != MemberState.ARBITER) {
                reply.append("lastWrite", lastWrite(view.term(), nowMillis - (state == MemberState.PRIMARY ? 0
                        : facts.lagMS())));
            }
        }
        reply.append("maxBsonObjectSize", new BsonInt32(MAX_BSON_OBJECT_SIZE))
                .append("maxMessageSizeBytes", new BsonInt32(MAX_MESSAGE_SIZE_BYTES))
                .append("maxWriteBatchSize", new BsonInt32(MAX_WRITE_BATCH_SIZE))
                .append("localTime", new BsonDateTime(nowMillis))
                .append("logicalSessionTimeoutMinutes", new BsonInt32(30))
                .append("connectionId", new BsonInt32(facts.connectionId()))
                .append("minWireVersion", new BsonInt32(0))
                .append("maxWireVersion", new BsonInt32(facts.maxWireVersion()))
                .append("readOnly", BsonBoolean.FALSE);
        if (helloOk) {
            reply.append("helloOk", BsonBoolean.TRUE);
        }
        reply.append("ok", new BsonDouble(1));
        if (state != MemberState.REMOVED) {
            ClusterClock.gossip(reply, clusterTime);
        }
        return reply;
    }

    /**
     * {@code lastWrite} as of {@code writeMillis}: an idle mongod primary writes a no-op every 10 s, so its last
     * write is about now; a secondary's is behind by its replication lag.
     */
    private static BsonDocument lastWrite(long term, long writeMillis) {
        BsonDocument opTime = new BsonDocument("ts", new BsonTimestamp((int) (writeMillis / 1000), 1))
                .append("t", new BsonInt64(term));
        return new BsonDocument("opTime", opTime).append("lastWriteDate", new BsonDateTime(writeMillis))
                .append("majorityOpTime", opTime.clone()).append("majorityWriteDate", new BsonDateTime(writeMillis));
    }

    private static void appendIfAny(BsonDocument reply, String key, List<String> hosts) {
        if (!hosts.isEmpty()) {
            reply.append(key, strings(hosts));
        }
    }

    private static BsonArray strings(List<String> values) {
        BsonArray array = new BsonArray();
        values.forEach(value -> array.add(new BsonString(value)));
        return array;
    }

    private static BsonDocument tags(Map<String, String> tags) {
        BsonDocument doc = new BsonDocument();
        tags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> doc.append(e.getKey(), new BsonString(e.getValue())));
        return doc;
    }
}
