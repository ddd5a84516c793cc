package dev.sluice.server.lifecycle;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With authorization on, {@code sluiceDrain} and {@code POST /api/drain} need mongod's {@code shutdown}
 * action on the cluster (hostManager has it, clusterMonitor does not), as {@code shutdown} does.
 */
class DrainAuthorizationIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void onlyAUserWithTheShutdownActionMayStartADrain() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.start(null, ConfigFile.parse("security:\n  authorization: enabled\n", "test"))) {
            try (MongoClient anonymous = MongoClients.create(sluice.uri())) {
                anonymous.getDatabase("admin").runCommand(new Document("createUser", "root").append("pwd", "rootpw")
                        .append("roles", List.of(new Document("role", "root").append("db", "admin"))));
            }
            try (MongoClient root = as(sluice, "root", "rootpw")) {
                root.getDatabase("admin").runCommand(Document.parse(
                        "{createUser: 'monitor', pwd: 'monitorpw', roles: ['clusterMonitor']}"));
                root.getDatabase("admin").runCommand(Document.parse(
                        "{createUser: 'ops', pwd: 'opspw', roles: ['hostManager']}"));
            }
            try (MongoClient monitor = as(sluice, "monitor", "monitorpw")) {
                assertThatThrownBy(() -> monitor.getDatabase("admin").runCommand(new Document("sluiceDrain", 1)))
                        .isInstanceOfSatisfying(MongoCommandException.class, e -> assertThat(e.getErrorCode()).isEqualTo(13));
                assertThatThrownBy(() -> monitor.getDatabase("admin").runCommand(new Document("shutdown", 1)))
                        .isInstanceOfSatisfying(MongoCommandException.class, e -> assertThat(e.getErrorCode()).isEqualTo(13));
            }
            assertThat(drain(sluice, "monitor:monitorpw").statusCode()).isEqualTo(403);
            assertThat(sluice.server().draining()).isFalse();
            try (MongoClient ops = as(sluice, "ops", "opspw")) {
                assertThatThrownBy(() -> ops.getDatabase("test").runCommand(new Document("sluiceDrain", 1)))
                        .isInstanceOfSatisfying(MongoCommandException.class, e -> assertThat(e.getErrorCode()).isEqualTo(13));
                assertThat(sluice.server().draining()).isFalse();
            }
            HttpResponse<String> accepted = drain(sluice, "ops:opspw");
            assertThat(accepted.statusCode()).isEqualTo(202);
            assertThat(accepted.body()).contains("\"draining\":true").contains("\"shutdownTimeoutMS\":15000");
            // the drain starts once the reply is written
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sluice.server().draining());
            sluice.server().stopped().get(20, TimeUnit.SECONDS);
        }
    }

    private static MongoClient as(SluiceHarness sluice, String user, String password) {
        return MongoClients.create(sluice.uri("").replace("mongodb://", "mongodb://" + user + ":" + password + "@")
                + "?authSource=admin");
    }

    private static HttpResponse<String> drain(SluiceHarness sluice, String credentials) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.server().httpAddress().getPort()
                        + "/api/drain")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
