package dev.sluice.server.upstream;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Timeouts as drivers define them: connectTimeoutMS bounds the connect and the handshake;
 * socketTimeoutMS does not, so a slow but healthy upstream still gets connections.
 */
class UpstreamTimeoutsIT {

    @Test
    void aHandshakeSlowerThanSocketTimeoutMSButWithinConnectTimeoutMSStillConnects() throws Exception {
        try (FakeMongod backend = FakeMongod.start()) {
            backend.slowHandshake(600);
            try (SluiceHarness sluice = SluiceHarness.upstream(backend.uri()
                    + "?socketTimeoutMS=200&connectTimeoutMS=5000&serverSelectionTimeoutMS=10000");
                 MongoClient client = MongoClients.create(sluice.uri("appName=patient"))) {
                Document reply = client.getDatabase("test").runCommand(new Document("count", "c"));
                assertThat(reply.get("ok", Number.class).intValue()).isEqualTo(1);
                assertThat(sluice.server().cluster().statistics().get(0).created()).isGreaterThanOrEqualTo(1);
            }
        }
    }
}
