package dev.sluice.server.upstream;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.SluiceHarness;
import com.mongodb.MongoException;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Timeouts as drivers define them: connectTimeoutMS bounds the connect and the handshake;
 * socketTimeoutMS and waitQueueTimeoutMS do not, so a slow but healthy upstream still gets
 * connections: a request that gives up waiting does not cancel the connection being established
 * for it (CMAP), which joins the pool for the next request.
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

    @Test
    void aRequestGivingUpAfterWaitQueueTimeoutMSDoesNotCancelThePendingConnection() throws Exception {
        try (FakeMongod backend = FakeMongod.start()) {
            backend.slowHandshake(1_500);
            try (SluiceHarness sluice = SluiceHarness.upstream(backend.uri()
                    + "?waitQueueTimeoutMS=200&connectTimeoutMS=10000&serverSelectionTimeoutMS=20000");
                 MongoClient client = MongoClients.create(sluice.uri("appName=impatient"))) {
                // Whether this first request waited it out or gave up after waitQueueTimeoutMS, the
                // connection opened for it must finish its slow handshake and join the pool.
                try {
                    client.getDatabase("test").runCommand(new Document("count", "c"));
                } catch (MongoException gaveUp) {
                    assertThat(gaveUp.getMessage()).contains("waitQueueTimeoutMS");
                }
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    HostPoolStats pool = sluice.server().cluster().statistics().get(0);
                    assertThat(pool.available() + pool.inUse()).isGreaterThanOrEqualTo(1);
                    assertThat(pool.closed()).isZero();
                });
                long created = sluice.server().cluster().statistics().get(0).created();
                Document reply = client.getDatabase("test").runCommand(new Document("count", "c"));
                assertThat(reply.get("ok", Number.class).intValue()).isEqualTo(1);
                assertThat(sluice.server().cluster().statistics().get(0).created()).isEqualTo(created);
            }
        }
    }
}
