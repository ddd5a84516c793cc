package dev.sluice.server.cli;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Descriptor exhaustion: Sluice under a low open-file limit (ulimit -n) fits maxIncomingConnections
 * into it, refuses the clients past it cleanly (counted), and keeps serving existing drivers and the
 * admin API; idle connections that never say hello are closed by loginTimeoutMS, after which new
 * drivers get in again.
 */
class DescriptorLimitIT {
    private static final Pattern READY = Pattern.compile("^sluice ready mongodb://([^/]+)/ http://([^/]+)/$");

    @Test
    void idleConnectionsUpToTheDescriptorLimitNeitherBreakDriversNorTheAdminApi() throws Exception {
        Path jar;
        try (var files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("sluice-server-.*-all\\.jar")).findFirst().orElseThrow();
        }
        Path config = Files.createTempFile("sluice-fd", ".yaml");
        Files.writeString(config, "loginTimeoutMS: 3000\nhttpMaxConnections: 16\n");
        Path log = Path.of("target/descriptor-limit-it.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("bash", "-c", "ulimit -n 1100 && exec \"$0\" -Xss512k -jar \"$1\" serve "
                + "--listen 127.0.0.1:0 --http 127.0.0.1:0 --config \"$2\"", java, jar.toString(), config.toString())
                .redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
        List<Socket> idle = new ArrayList<>();
        try {
            String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(line).isNotNull().matches(READY);
            Matcher m = READY.matcher(line);
            assertThat(m.matches()).isTrue();
            String mongo = m.group(1);
            String http = m.group(2);
            // 1100 files - (2 x 102 embedded upstream + 16 HTTP + 128 own) = 752 client connections
            assertThat(Files.readString(log)).contains("maxIncomingConnections lowered from 20000 to 752");
            try (MongoClient existing = MongoClients.create("mongodb://" + mongo + "/?appName=existing")) {
                var items = existing.getDatabase("test").getCollection("fd");
                items.insertOne(new Document("_id", 1));
                String[] hp = mongo.split(":");
                for (int i = 0; i < 800; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), 2_000);
                    idle.add(s);
                }
                Document status = existing.getDatabase("admin").runCommand(new Document("serverStatus", 1));
                Document connections = status.get("connections", Document.class);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    Document c = existing.getDatabase("admin").runCommand(new Document("serverStatus", 1))
                            .get("connections", Document.class);
                    assertThat(c.get("rejected", Number.class).longValue()).isGreaterThan(0);
                    assertThat(c.get("current", Number.class).intValue()).isLessThanOrEqualTo(752);
                });
                assertThat(connections.get("current", Number.class).intValue()).isLessThanOrEqualTo(752);
                // existing clients and the admin API keep working while the connector is full
                assertThat(items.find(new Document("_id", 1)).first()).isNotNull();
                HttpResponse<String> api = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://" + http + "/api/connections")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(api.statusCode()).isEqualTo(200);
                // the idle ones never said hello: closed by loginTimeoutMS, then a new driver gets in
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                    try (MongoClient fresh = MongoClients.create("mongodb://" + mongo + "/?appName=fresh&serverSelectionTimeoutMS=2000")) {
                        assertThat(fresh.getDatabase("test").getCollection("fd").countDocuments()).isEqualTo(1);
                    }
                });
                Document after = existing.getDatabase("admin").runCommand(new Document("serverStatus", 1));
                assertThat(after.get("sluice", Document.class).get("limitCloses", Document.class)
                        .get("mongodb", Document.class).get("loginTimeoutMS", Number.class).longValue()).isGreaterThan(0);
            }
            assertThat(Files.readString(log)).doesNotContain("Too many open files");
        } finally {
            for (Socket s : idle) {
                s.close();
            }
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            Files.deleteIfExists(config);
        }
    }
}
