package dev.sluice.server.topology;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The streaming protocol against members that report a topologyVersion: each is watched by an awaitable hello
 * (plus a connection measuring round trips), so an election is seen at once, not at the next heartbeat; with
 * serverMonitoringMode=poll the same members are polled over one connection each.
 */
class StreamingMonitorIT {

    private static ServerType type(SluiceHarness sluice, FakeMongod member) {
        ServerDescription d = sluice.server().cluster().description()
                .server(new ServerAddress("127.0.0.1", member.port()));
        return d == null ? null : d.type();
    }

    @Test
    void anElectionIsSeenAtOnceThroughTheStreamNotAtTheNextHeartbeat() throws Exception {
        try (FakeMongod first = FakeMongod.start().streaming(); FakeMongod second = FakeMongod.start().streaming()) {
            List<String> hosts = List.of(first.hostAndPort(), second.hostAndPort());
            first.replicaSetMember("rs0", true, hosts);
            second.replicaSetMember("rs0", false, hosts);
            // a heartbeat far longer than the test: only the stream can tell Sluice of the election in time
            try (SluiceHarness sluice = SluiceHarness.upstream("mongodb://" + first.hostAndPort()
                    + "/?replicaSet=rs0&heartbeatFrequencyMS=60000&serverMonitoringMode=stream");
                 MongoClient client = MongoClients.create(sluice.uri())) {
                await().atMost(Duration.ofSeconds(10)).until(() -> type(sluice, second) == ServerType.RS_SECONDARY);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        sluice.server().cluster().monitorConnectionsOpen()).as("a streaming and an RTT connection per member")
                        .isEqualTo(4));

                first.replicaSetMember("rs0", false, hosts);
                second.replicaSetMember("rs0", true, hosts);
                await().atMost(Duration.ofSeconds(5)).until(() -> type(sluice, second) == ServerType.RS_PRIMARY
                        && type(sluice, first) == ServerType.RS_SECONDARY);

                client.getDatabase("test").getCollection("c").insertOne(new Document("x", 1));
                assertThat(second.count("insert")).as("the write on the new primary").isEqualTo(1);
                assertThat(first.count("insert")).isZero();
                ServerDescription primary = sluice.server().cluster().description()
                        .server(new ServerAddress("127.0.0.1", second.port()));
                assertThat(primary.averageRttMillis()).as("round trips measured").isPresent();
            }
        }
    }

    @Test
    void pollModeNeverStreams() throws Exception {
        try (FakeMongod member = FakeMongod.start().streaming()) {
            member.replicaSetMember("rs0", true, List.of(member.hostAndPort()));
            try (SluiceHarness sluice = SluiceHarness.upstream("mongodb://" + member.hostAndPort()
                    + "/?replicaSet=rs0&heartbeatFrequencyMS=500&serverMonitoringMode=poll")) {
                await().atMost(Duration.ofSeconds(10)).until(() -> type(sluice, member) == ServerType.RS_PRIMARY);
                long checks = member.count("hello");
                await().atMost(Duration.ofSeconds(10)).until(() -> member.count("hello") >= checks + 3);
                assertThat(sluice.server().cluster().monitorConnectionsOpen()).as("one polling connection").isEqualTo(1);
            }
        }
    }
}
