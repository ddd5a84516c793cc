package dev.sluice.server.topology;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replica set discovery, read preference routing and a primary's step down, with two fake members answering hello
 * as a replica set (a secondary answers writes with NotWritablePrimary). Sluice is seeded with one member and
 * finds the other in its hello.
 */
class ReadPreferenceRoutingIT {

    private static ServerType type(SluiceHarness sluice, FakeMongod member) {
        ServerDescription d = sluice.server().cluster().description()
                .server(new ServerAddress("127.0.0.1", member.port()));
        return d == null ? null : d.type();
    }

    @Test
    void readsGoWhereTheirReadPreferenceSaysAndWritesToThePrimary() throws Exception {
        try (FakeMongod primary = FakeMongod.start(); FakeMongod secondary = FakeMongod.start()) {
            List<String> hosts = List.of(primary.hostAndPort(), secondary.hostAndPort());
            primary.replicaSetMember("rs0", true, hosts);
            secondary.replicaSetMember("rs0", false, hosts);
            try (SluiceHarness sluice = SluiceHarness.upstream("mongodb://" + primary.hostAndPort()
                    + "/?replicaSet=rs0&heartbeatFrequencyMS=500")) {
                await().atMost(Duration.ofSeconds(10)).until(() -> type(sluice, secondary) == ServerType.RS_SECONDARY);
                assertThat(sluice.server().cluster().description().type())
                        .isEqualTo(TopologyType.REPLICA_SET_WITH_PRIMARY);

                try (MongoClient byDefault = MongoClients.create(sluice.uri());
                     MongoClient secondaryReads = MongoClients.create(sluice.uri("readPreference=secondary"));
                     MongoClient preferred = MongoClients.create(sluice.uri("readPreference=secondaryPreferred"))) {
                    long primaryFinds = primary.count("find");
                    long secondaryFinds = secondary.count("find");
                    MongoCollection<Document> c = byDefault.getDatabase("test").getCollection("c");
                    c.insertOne(new Document("x", 1));
                    c.find().first();
                    assertThat(primary.count("find")).as("primary reads on the primary").isEqualTo(primaryFinds + 1);

                    secondaryReads.getDatabase("test").getCollection("c").find().first();
                    preferred.getDatabase("test").getCollection("c").find().first();
                    assertThat(secondary.count("find")).as("secondary and secondaryPreferred reads")
                            .isEqualTo(secondaryFinds + 2);
                    assertThat(primary.count("find")).isEqualTo(primaryFinds + 1);

                    Document out = new Document("aggregate", "c").append("pipeline", List.of(
                            new Document("$match", new Document()), new Document("$out", "copy")))
                            .append("cursor", new Document());
                    secondaryReads.getDatabase("test").runCommand(out, com.mongodb.ReadPreference.secondary());
                    assertThat(primary.count("aggregate")).as("an aggregation with $out writes: the primary")
                            .isEqualTo(1);
                    secondaryReads.getDatabase("test").runCommand(new Document("aggregate", "c")
                            .append("pipeline", List.of()).append("cursor", new Document()),
                            com.mongodb.ReadPreference.secondary());
                    assertThat(secondary.count("aggregate")).as("an aggregation that only reads").isEqualTo(1);

                    secondaryReads.getDatabase("test").getCollection("c").insertOne(new Document("x", 2));
                    assertThat(primary.count("insert")).as("writes go to the primary whatever the read preference")
                            .isEqualTo(2);
                    assertThat(secondary.count("insert")).isZero();
                }
            }
        }
    }

    @Test
    void aReadThatNoServerCanServeFailsAfterServerSelectionTimeoutNamingEveryServer() throws Exception {
        try (FakeMongod primary = FakeMongod.start()) {
            primary.replicaSetMember("rs0", true, List.of(primary.hostAndPort()));
            try (SluiceHarness sluice = SluiceHarness.upstream("mongodb://" + primary.hostAndPort()
                    + "/?replicaSet=rs0&serverSelectionTimeoutMS=600");
                 MongoClient client = MongoClients.create(sluice.uri("readPreference=secondary&retryReads=false"))) {
                var error = org.assertj.core.api.Assertions.catchThrowableOfType(
                        () -> client.getDatabase("test").getCollection("c").find().first(),
                        com.mongodb.MongoCommandException.class);
                assertThat(error.getErrorCode()).isEqualTo(133);
                assertThat(error.getErrorMessage()).contains("mode: \"secondary\"").contains("ReplicaSetWithPrimary")
                        .contains(primary.hostAndPort() + " RSPrimary").contains("serverSelectionTimeoutMS");
            }
        }
    }

    @Test
    void aPrimaryStepDownCostsARetryableWriteNoError() throws Exception {
        try (FakeMongod first = FakeMongod.start(); FakeMongod second = FakeMongod.start()) {
            List<String> hosts = List.of(first.hostAndPort(), second.hostAndPort());
            first.replicaSetMember("rs0", true, hosts);
            second.replicaSetMember("rs0", false, hosts);
            try (SluiceHarness sluice = SluiceHarness.upstream("mongodb://" + first.hostAndPort() + ","
                    + second.hostAndPort() + "/?replicaSet=rs0&heartbeatFrequencyMS=500");
                 MongoClient client = MongoClients.create(sluice.uri("retryWrites=true"))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> type(sluice, second) == ServerType.RS_SECONDARY);
                MongoCollection<Document> c = client.getDatabase("test").getCollection("c");
                c.insertOne(new Document("_id", 1));

                // an election Sluice has not seen yet: its next write reaches the old primary, now a secondary
                first.replicaSetMember("rs0", false, hosts);
                second.replicaSetMember("rs0", true, hosts);
                c.insertOne(new Document("_id", 2));

                assertThat(second.count("insert")).as("the write replayed on the new primary").isEqualTo(1);
                assertThat(type(sluice, second)).isEqualTo(ServerType.RS_PRIMARY);
            }
        }
    }
}
