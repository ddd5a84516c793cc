package dev.sluice.server.admin;

import dev.sluice.server.topology.ServerDescription;
import dev.sluice.server.topology.ServerType;
import dev.sluice.server.topology.TopologyDescription;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonString;

import java.util.Map;

/** The upstream topology as BSON: connPoolStats' {@code replicaSets} (mongod's fields) and serverStatus' summary. */
final class TopologyViews {
    private TopologyViews() {
    }

    /**
     * connPoolStats' {@code replicaSets}: {@code {<setName>: {hosts: [{addr, ok, ismaster, hidden, secondary,
     * pingTimeMillis, tags?}]}}}, as mongos reports each replica set it monitors; an empty document when the
     * upstream is not a replica set. {@code ok} is false for a server Sluice cannot reach or has not checked yet
     * (Unknown); {@code hidden} is always false, as in mongos' SDAM monitor (hidden members are not in the set's
     * host list, so they are not monitored); {@code tags} only when the member has some.
     */
    static BsonDocument replicaSets(TopologyDescription topology) {
        BsonDocument sets = new BsonDocument();
        if (!topology.type().isReplicaSet() || topology.setName() == null) {
            return sets;
        }
        BsonArray hosts = new BsonArray();
        for (ServerDescription s : topology.serverDescriptions()) {
            BsonDocument host = new BsonDocument()
                    .append("addr", new BsonString(s.address().toString()))
                    .append("ok", BsonBoolean.valueOf(s.isAvailable()))
                    .append("ismaster", BsonBoolean.valueOf(s.type() == ServerType.RS_PRIMARY))
                    .append("hidden", BsonBoolean.FALSE)
                    .append("secondary", BsonBoolean.valueOf(s.type() == ServerType.RS_SECONDARY))
                    .append("pingTimeMillis", new BsonInt32((int) Math.round(s.rttOrZero())));
            if (!s.tags().isEmpty()) {
                host.append("tags", tags(s.tags()));
            }
            hosts.add(host);
        }
        return sets.append(topology.setName(), new BsonDocument("hosts", hosts));
    }

    /**
     * serverStatus' {@code sluice.topology}: {@code {type, setName, servers: [{host, type, role, rttMillis, error}]}}
     * (setName, rttMillis and error null when unknown).
     */
    static BsonDocument summary(TopologyReport report) {
        BsonArray servers = new BsonArray();
        for (TopologyReport.Server s : report.servers()) {
            servers.add(new BsonDocument()
                    .append("host", new BsonString(s.address()))
                    .append("type", new BsonString(s.type()))
                    .append("role", new BsonString(s.role()))
                    .append("rttMillis", s.rttMillis() == null ? BsonNull.VALUE : new BsonDouble(s.rttMillis()))
                    .append("error", BsonViews.string(s.error())));
        }
        return new BsonDocument()
                .append("type", new BsonString(report.type()))
                .append("setName", BsonViews.string(report.setName()))
                .append("servers", servers);
    }

    private static BsonDocument tags(Map<String, String> tags) {
        BsonDocument d = new BsonDocument();
        tags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> d.append(e.getKey(), new BsonString(e.getValue())));
        return d;
    }
}
