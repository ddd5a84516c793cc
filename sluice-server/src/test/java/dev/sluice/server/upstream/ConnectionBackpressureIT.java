package dev.sluice.server.upstream;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.SluiceHarness;
import dev.sluice.server.topology.ServerType;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * CMAP's backpressure and SDAM's handling of it (2025-11): a network error or timeout while a pooled connection is
 * being established (connect, TLS I/O, hello) gets the SystemOverloadedError and RetryableError labels; the server
 * is then neither marked Unknown nor its pool cleared, and the client's error carries both labels so that its
 * driver backs off and retries (nothing was sent).
 */
class ConnectionBackpressureIT {

    @Test
    void aHandshakeRefusedByAnOverloadedServerLeavesItKnownAndTellsTheClientToBackOff() throws Exception {
        try (FakeMongod backend = FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.upstream(backend.uri()
                     + "?serverSelectionTimeoutMS=3000&heartbeatFrequencyMS=60000&serverMonitoringMode=poll");
             MongoClient client = MongoClients.create(sluice.uri("retryReads=false&retryWrites=false"))) {
            UpstreamCluster cluster = sluice.server().cluster();
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.description().servers().values().stream()
                    .anyMatch(s -> s.type() != ServerType.UNKNOWN));
            backend.refuseNewHandshakes(true);
            int connectionsBefore = backend.totalConnections();

            MongoException e = catchThrowableOfType(MongoException.class,
                    () -> client.getDatabase("test").runCommand(new Document("count", "c")));

            assertThat(e).isNotNull();
            assertThat(e.getErrorLabels()).contains("SystemOverloadedError", "RetryableError");
            // one attempt and at most 5 more after backing off, within serverSelectionTimeoutMS: no storm
            assertThat(backend.totalConnections() - connectionsBefore).isBetween(1, 6);
            assertThat(cluster.description().servers().values()).allSatisfy(s ->
                    assertThat(s.type()).isNotEqualTo(ServerType.UNKNOWN));
            assertThat(cluster.statistics().get(0).generation()).isZero();
            assertThat(cluster.statistics().get(0).clears()).isZero();

            backend.refuseNewHandshakes(false);
            Document reply = client.getDatabase("test").runCommand(new Document("count", "c"));
            assertThat(reply.get("ok", Number.class).intValue()).isEqualTo(1);
        }
    }
}
