package dev.sluice.server.deploy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCursor;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * deploy/haproxy/haproxy.cfg in front of two real Sluices (its bind address and server lines pointed at
 * them, everything else as shipped): while one drains, HAProxy's {@code /readyz} check takes it out of
 * rotation and every new client lands on the other. Skipped, saying so, without HAProxy.
 */
class HaproxyFleetIT {
    @TempDir
    Path dir;

    @Test
    void aDrainingSluiceLeavesRotationAndNewClientsReachTheOther() throws Exception {
        Path haproxy = Haproxy.binary();
        Assumptions.assumeTrue(haproxy != null, "haproxy is not installed (apt-get install haproxy): fleet test not run");
        ConfigFile file = ConfigFile.parse("shutdownTimeoutMS: 20000", "test");
        try (SluiceHarness draining = SluiceHarness.start(null, file); SluiceHarness staying = SluiceHarness.start(null, file)) {
            int front;
            try (ServerSocket s = new ServerSocket(0)) {
                front = s.getLocalPort();
            }
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, configFor(front, List.of(draining, staying)));
            Files.copy(cfg, Path.of("target/haproxy-fleet-it.cfg"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Process p = new ProcessBuilder(haproxy.toString(), "-db", "-f", cfg.toString())
                    .redirectErrorStream(true).redirectOutput(new File("target/haproxy-fleet-it.log")).start();
            try {
                // both are checked through /readyz
                await().atMost(Duration.ofSeconds(15)).until(() -> draining.server().registry().totalAccepted("http") > 0
                        && staying.server().registry().totalAccepted("http") > 0);
                try (MongoClient holder = MongoClients.create(draining.uri())) {
                    var coll = holder.getDatabase("fleet").getCollection("docs");
                    for (int i = 0; i < 20; i++) {
                        coll.insertOne(new Document("_id", i));
                    }
                    try (MongoCursor<Document> cursor = coll.find().batchSize(2).iterator()) {
                        cursor.next(); // an open cursor holds the drain
                        HttpResponse<String> started = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + draining.server().httpAddress().getPort() + "/api/drain"))
                                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        assertThat(started.statusCode()).isEqualTo(202);
                        long checksAtDrain = draining.server().registry().totalAccepted("http");
                        // a check that saw 503 has happened: HAProxy marks it down (fall 1)
                        await().atMost(Duration.ofSeconds(10)).until(
                                () -> draining.server().registry().totalAccepted("http") > checksAtDrain + 1);
                        long acceptedBefore = staying.server().registry().totalAccepted("mongodb");
                        for (int i = 0; i < 6; i++) {
                            try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + front
                                    + "/?serverSelectionTimeoutMS=5000&appName=through-haproxy-" + i)) {
                                Document pong = client.getDatabase("admin").runCommand(new Document("ping", 1));
                                assertThat(pong.get("ok", Number.class).intValue()).isEqualTo(1);
                            }
                        }
                        assertThat(staying.server().registry().totalAccepted("mongodb") - acceptedBefore)
                                .as("every new client through HAProxy reached the Sluice still in rotation")
                                .isGreaterThanOrEqualTo(6);
                        assertThat(draining.server().stopped()).isNotDone();
                        int read = 1;
                        while (cursor.hasNext()) {
                            cursor.next();
                            read++;
                        }
                        assertThat(read).isEqualTo(20);
                    }
                }
                draining.server().stopped().get(25, java.util.concurrent.TimeUnit.SECONDS);
            } finally {
                p.destroy();
                p.waitFor();
            }
        }
    }

    /** The shipped file in front of {@code sluices}. */
    private static String configFor(int front, List<SluiceHarness> sluices) throws Exception {
        List<Haproxy.Backend> backends = new ArrayList<>();
        for (SluiceHarness sluice : sluices) {
            var s = sluice.server();
            backends.add(new Haproxy.Backend(s.mongoAddress().getPort(), s.httpAddress().getPort()));
        }
        return Haproxy.config(front, backends);
    }
}
