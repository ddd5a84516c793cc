package dev.sluice.server.topology;

import com.mongodb.ConnectionString;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs one SDAM spec file: feeds hello replies and application errors, then checks each phase's outcome. */
final class SdamRunner {

    private final BsonDocument test;
    private final List<TopologyEvent> events = new ArrayList<>();
    private long now = 1_000;
    private Topology topology;

    SdamRunner(BsonDocument test) {
        this.test = test;
    }

    void run() {
        TopologySettings settings = TopologySettings.fromConnectionString(
                new ConnectionString(test.getString("uri").getValue()));
        topology = new Topology(settings, events::add, () -> now);
        checkActions(topology.open());
        int index = 0;
        for (BsonValue p : test.getArray("phases")) {
            BsonDocument phase = p.asDocument();
            String where = "phase " + index++ + (phase.containsKey("description")
                    ? " (" + phase.getString("description").getValue() + ")" : "");
            for (BsonValue r : phase.getArray("responses", new BsonArray())) {
                now += 10;
                ServerAddress address = ServerAddress.parse(r.asArray().get(0).asString().getValue());
                BsonDocument reply = r.asArray().get(1).asDocument();
                checkActions(reply.isEmpty()
                        ? topology.onCheckFailed(address, ErrorKind.NETWORK, "simulated network error")
                        : topology.onHello(address, reply, 10.0));
            }
            for (BsonValue e : phase.getArray("applicationErrors", new BsonArray())) {
                checkActions(applyError(e.asDocument()));
            }
            BsonDocument outcome = phase.getDocument("outcome");
            if (outcome.containsKey("events")) {
                assertThat(normalizeEvents(actualEvents())).as(where + ": events")
                        .isEqualTo(normalizeEvents(outcome.getArray("events")));
                events.clear();
            } else {
                checkOutcome(where, outcome);
            }
        }
    }

    private TopologyUpdate applyError(BsonDocument e) {
        ServerAddress address = ServerAddress.parse(e.getString("address").getValue());
        int generation = e.containsKey("generation") ? e.getNumber("generation").intValue()
                : topology.poolGeneration(address);
        ErrorPhase phase = switch (e.getString("when").getValue()) {
            case "beforeHandshakeCompletes" -> ErrorPhase.BEFORE_HANDSHAKE;
            case "afterHandshakeCompletes" -> ErrorPhase.AFTER_HANDSHAKE;
            default -> throw new IllegalArgumentException("unknown 'when': " + e.get("when"));
        };
        // a network error or timeout during a new connection's handshake gets CMAP's backpressure labels from the
        // pool (BackendConnectionFactory, Backpressure), as the test README's "beforeHandshakeCompletes" describes
        boolean labelled = phase == ErrorPhase.BEFORE_HANDSHAKE;
        ApplicationError error = switch (e.getString("type").getValue()) {
            case "network" -> ApplicationError.network(phase, generation, "simulated network error")
                    .withSystemOverloaded(labelled);
            case "timeout" -> ApplicationError.timeout(phase, generation, "simulated timeout")
                    .withSystemOverloaded(labelled);
            case "command" -> ApplicationError.command(phase, generation, e.getDocument("response"));
            default -> throw new IllegalArgumentException("unknown error type: " + e.get("type"));
        };
        return topology.onError(address, error);
    }

    /** Actions must agree with the description they came with. */
    private void checkActions(TopologyUpdate update) {
        for (TopologyAction a : update.actions()) {
            if (a instanceof TopologyAction.StartMonitoring || a instanceof TopologyAction.MarkPoolReady) {
                assertThat(update.current().servers()).as("%s", a).containsKey(a.address());
            } else if (a instanceof TopologyAction.StopMonitoring) {
                assertThat(update.current().servers()).as("%s", a).doesNotContainKey(a.address());
            } else if (a instanceof TopologyAction.ClearPool clear) {
                assertThat(topology.poolGeneration(a.address())).as("%s", a).isGreaterThanOrEqualTo(clear.generation());
            }
        }
        assertThat(topology.description()).isSameAs(update.current());
    }

    private void checkOutcome(String where, BsonDocument outcome) {
        TopologyDescription d = topology.description();
        BsonDocument expectedServers = outcome.getDocument("servers");
        List<String> actualAddresses = d.servers().keySet().stream().map(ServerAddress::toString).sorted().toList();
        assertThat(actualAddresses).as(where + ": servers").isEqualTo(expectedServers.keySet().stream().sorted().toList());
        for (Map.Entry<String, BsonValue> e : expectedServers.entrySet()) {
            ServerAddress address = ServerAddress.parse(e.getKey());
            checkServer(where + ", server " + e.getKey(), e.getValue().asDocument(), d.server(address));
        }
        BsonDocument actual = new BsonDocument()
                .append("topologyType", new BsonString(d.type().specName()))
                .append("setName", string(d.setName()))
                .append("logicalSessionTimeoutMinutes", integer(d.logicalSessionTimeoutMinutes()))
                .append("maxSetVersion", integer(d.maxSetVersion()))
                .append("maxElectionId", d.maxElectionId() == null ? BsonNull.VALUE : new BsonObjectId(d.maxElectionId()))
                .append("compatible", BsonBoolean.valueOf(d.compatible()));
        assertThat(project(actual, outcome, "servers", "events")).as(where + ": topology " + d)
                .isEqualTo(project(outcome, outcome, "servers", "events"));
    }

    private void checkServer(String where, BsonDocument expected, ServerDescription s) {
        BsonDocument actual = new BsonDocument()
                .append("type", new BsonString(s.type().specName()))
                .append("setName", string(s.setName()))
                .append("setVersion", integer(s.setVersion()))
                .append("electionId", s.electionId() == null ? BsonNull.VALUE : new BsonObjectId(s.electionId()))
                .append("logicalSessionTimeoutMinutes", integer(s.logicalSessionTimeoutMinutes()))
                .append("minWireVersion", wireVersion(s, s.minWireVersion()))
                .append("maxWireVersion", wireVersion(s, s.maxWireVersion()))
                .append("topologyVersion", s.topologyVersion() == null ? BsonNull.VALUE : s.topologyVersion().toDocument())
                .append("pool", new BsonDocument("generation", new BsonInt32(topology.poolGeneration(s.address()))));
        assertThat(project(actual, expected, "error")).as(where + ": " + s).isEqualTo(project(expected, expected, "error"));
        if (expected.containsKey("error")) {
            assertThat(s.error()).as(where + ": error").contains(expected.getString("error").getValue());
        }
    }

    /** A load balancer's description has only its address and type (SDAM): its wire versions are unknown, null. */
    private static org.bson.BsonValue wireVersion(ServerDescription s, int version) {
        return s.type() == ServerType.LOAD_BALANCER ? BsonNull.VALUE : new BsonInt32(version);
    }

    /** The fields of {@code doc} that {@code expected} names, minus {@code skip}. */
    private static BsonDocument project(BsonDocument doc, BsonDocument expected, String... skip) {
        BsonDocument out = new BsonDocument();
        for (String key : expected.keySet()) {
            if (!List.of(skip).contains(key)) {
                out.append(key, doc.containsKey(key) ? doc.get(key) : new BsonString("<not reported>"));
            }
        }
        return out;
    }

    private BsonArray actualEvents() {
        BsonArray out = new BsonArray();
        for (TopologyEvent e : events) {
            out.add(event(e));
        }
        return out;
    }

    private static BsonDocument event(TopologyEvent e) {
        if (e instanceof TopologyEvent.ServerOpening o) {
            return new BsonDocument("server_opening_event",
                    new BsonDocument("address", new BsonString(o.address().toString())));
        }
        if (e instanceof TopologyEvent.ServerClosed c) {
            return new BsonDocument("server_closed_event",
                    new BsonDocument("address", new BsonString(c.address().toString())));
        }
        if (e instanceof TopologyEvent.ServerDescriptionChanged c) {
            return new BsonDocument("server_description_changed_event",
                    new BsonDocument("address", new BsonString(c.address().toString()))
                            .append("previousDescription", server(c.previous()))
                            .append("newDescription", server(c.current())));
        }
        if (e instanceof TopologyEvent.TopologyDescriptionChanged c) {
            return new BsonDocument("topology_description_changed_event",
                    new BsonDocument("previousDescription", topology(c.previous()))
                            .append("newDescription", topology(c.current())));
        }
        return new BsonDocument(e instanceof TopologyEvent.TopologyOpening ? "topology_opening_event"
                : "topology_closed_event", new BsonDocument());
    }

    private static BsonDocument topology(TopologyDescription d) {
        BsonArray servers = new BsonArray();
        d.serverDescriptions().forEach(s -> servers.add(server(s)));
        BsonDocument doc = new BsonDocument("topologyType", new BsonString(d.type().specName()));
        if (d.setName() != null) {
            doc.append("setName", new BsonString(d.setName()));
        }
        return doc.append("servers", servers);
    }

    private static BsonDocument server(ServerDescription s) {
        BsonDocument doc = new BsonDocument("address", new BsonString(s.address().toString()))
                .append("arbiters", addresses(s.arbiters()))
                .append("hosts", addresses(s.hosts()))
                .append("passives", addresses(s.passives()));
        if (s.primary() != null) {
            doc.append("primary", new BsonString(s.primary().toString()));
        }
        if (s.setName() != null) {
            doc.append("setName", new BsonString(s.setName()));
        }
        return doc.append("type", new BsonString(s.type().specName()));
    }

    private static BsonArray addresses(List<ServerAddress> list) {
        BsonArray a = new BsonArray();
        list.forEach(x -> a.add(new BsonString(x.toString())));
        return a;
    }

    /** Drops topologyId and nulls, sorts keys, member lists and server lists, so that order inside sets is free. */
    private static List<BsonValue> normalizeEvents(BsonArray events) {
        List<BsonValue> out = new ArrayList<>();
        for (BsonValue e : events) {
            out.add(normalize(e));
        }
        return out;
    }

    private static BsonValue normalize(BsonValue v) {
        if (v.isDocument()) {
            TreeMap<String, BsonValue> sorted = new TreeMap<>();
            for (Map.Entry<String, BsonValue> e : v.asDocument().entrySet()) {
                if (!e.getKey().equals("topologyId") && !e.getValue().isNull()) {
                    sorted.put(e.getKey(), normalize(e.getValue()));
                }
            }
            BsonDocument doc = new BsonDocument();
            sorted.forEach(doc::append);
            return doc;
        }
        if (v.isArray()) {
            List<BsonValue> items = new ArrayList<>();
            v.asArray().forEach(x -> items.add(normalize(x)));
            items.sort(Comparator.comparing(SdamRunner::sortKey));
            return new BsonArray(items);
        }
        return v;
    }

    private static String sortKey(BsonValue v) {
        if (v.isString()) {
            return v.asString().getValue();
        }
        if (v.isDocument() && v.asDocument().containsKey("address")) {
            return v.asDocument().getString("address").getValue();
        }
        return v.toString();
    }

    private static BsonValue string(String s) {
        return s == null ? BsonNull.VALUE : new BsonString(s);
    }

    private static BsonValue integer(Integer i) {
        return i == null ? BsonNull.VALUE : new BsonInt32(i);
    }
}
