package dev.sluice.server.admin;

import dev.sluice.server.registry.ConnectionRegistry;
import dev.sluice.server.topology.ServerType;
import dev.sluice.server.topology.TopologyDescription;
import dev.sluice.server.topology.TopologyType;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The topology's BSON and JSON views, from descriptions built by hand. */
class TopologyViewsTest {
    private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final ConnectionRegistry registry = new ConnectionRegistry(clock);
    private final FakePoolDirectory pools = new FakePoolDirectory();
    private final AdminCommands commands = new AdminCommands(registry, pools,
            new AdminSettings(1000, "7.0.0-sluice", "proxy1:27016", NOW.minusSeconds(90)), clock);

    private BsonDocument run(String name) {
        return commands.execute(name, new BsonDocument(name, new BsonInt32(1)), "admin", null).reply();
    }

    @Test
    void connPoolStatsListsEachReplicaSetMemberWithMongosFields() {
        pools.topology(Topologies.replicaSet());

        BsonDocument sets = run("connPoolStats").getDocument("replicaSets");

        assertThat(sets.keySet()).containsExactly("rs0");
        assertThat(sets.getDocument("rs0").keySet()).containsExactly("hosts");
        assertThat(sets.getDocument("rs0").getArray("hosts")).containsExactly(
                BsonDocument.parse("{addr: 'db1:27017', ok: true, ismaster: true, hidden: false, secondary: false, "
                        + "pingTimeMillis: 1, tags: {dc: 'east', rack: 'r1'}}"),
                BsonDocument.parse("{addr: 'db2:27017', ok: true, ismaster: false, hidden: false, secondary: true, "
                        + "pingTimeMillis: 13}"),
                BsonDocument.parse("{addr: 'db3:27017', ok: false, ismaster: false, hidden: false, secondary: false, "
                        + "pingTimeMillis: 0}"));
        BsonDocument first = sets.getDocument("rs0").getArray("hosts").get(0).asDocument();
        assertThat(first.get("pingTimeMillis").isInt32()).isTrue();
        assertThat(first.keySet()).containsExactly("addr", "ok", "ismaster", "hidden", "secondary", "pingTimeMillis",
                "tags");
    }

    @Test
    void connPoolStatsHasAnEmptyReplicaSetsDocumentWhenTheUpstreamIsNoReplicaSet() {
        pools.topology(Topologies.of(TopologyType.SHARDED, null,
                Topologies.server("mongos1:27017", ServerType.MONGOS, 2, null, Map.of(), null)));
        assertThat(run("connPoolStats").getDocument("replicaSets")).isEqualTo(new BsonDocument());

        pools.topology(TopologyDescription.empty());
        assertThat(run("connPoolStats").getDocument("replicaSets")).isEqualTo(new BsonDocument());
    }

    @Test
    void serverStatusSummarizesTheTopologyInTheSluiceSection() {
        pools.topology(Topologies.replicaSet());

        BsonDocument status = run("serverStatus");

        assertThat(status.getDocument("sluice").getDocument("topology")).isEqualTo(BsonDocument.parse(
                "{type: 'ReplicaSetWithPrimary', setName: 'rs0', servers: ["
                        + "{host: 'db1:27017', type: 'RSPrimary', role: 'primary', rttMillis: 1.4, error: null},"
                        + "{host: 'db2:27017', type: 'RSSecondary', role: 'secondary', rttMillis: 12.6, error: null},"
                        + "{host: 'db3:27017', type: 'Unknown', role: 'unknown', rttMillis: null, "
                        + "error: 'connection refused'}]}"));
        assertThat(status.getDocument("connections").keySet())
                .contains("threaded", "exhaustIsMaster", "exhaustHello", "awaitingTopologyChanges");
    }

    @Test
    void theTopologyReportJoinsEachServerWithItsPool() {
        pools.topology(Topologies.replicaSet()).host("db1:27017", 3, 5, 1, 20, 2);

        TopologyReport report = new ConnectionAdmin(registry, pools).topology();

        assertThat(report.type()).isEqualTo("ReplicaSetWithPrimary");
        assertThat(report.setName()).isEqualTo("rs0");
        assertThat(report.servers()).extracting(TopologyReport.Server::address)
                .containsExactly("db1:27017", "db2:27017", "db3:27017");
        TopologyReport.Server primary = report.servers().get(0);
        assertThat(primary.role()).isEqualTo("primary");
        assertThat(primary.rttMillis()).isEqualTo(1.4);
        assertThat(primary.pool().inUse()).isEqualTo(3);
        assertThat(primary.tags()).containsEntry("dc", "east");
        assertThat(report.servers().get(1).pool()).isNull();
        assertThat(report.servers().get(2).rttMillis()).isNull();
        assertThat(report.servers().get(2).error()).isEqualTo("connection refused");
    }
}
