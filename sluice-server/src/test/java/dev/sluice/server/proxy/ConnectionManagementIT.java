package dev.sluice.server.proxy;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoSocketException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.HeadlessChromium;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** listConnections, killConnection(s), dropConnections and connPoolStats with real drivers, over the wire and HTTP. */
class ConnectionManagementIT {

    private static String connectionIdOf(MongoDatabase admin, String appName) {
        List<Document> rows = admin.runCommand(new Document("listConnections", 1))
                .get("cursor", Document.class).getList("firstBatch", Document.class);
        return rows.stream().filter(r -> appName.equals(r.getString("appName")) && r.getLong("opCount") > 0)
                .map(r -> r.getString("connectionId")).findFirst().orElseThrow();
    }

    @Test
    void listConnectionsShowsTheCallerAndOtherClients() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded();
             MongoClient operator = MongoClients.create(sluice.uri("appName=operator"));
             MongoClient app = MongoClients.create(sluice.uri("appName=billing"))) {
            app.getDatabase("test").runCommand(new Document("count", "c"));
            Document reply = operator.getDatabase("admin").runCommand(new Document("listConnections", 1));
            Document cursor = reply.get("cursor", Document.class);
            assertThat(cursor.get("id")).isEqualTo(0L);
            assertThat(cursor.getString("ns")).isEqualTo("admin.$cmd.listConnections");
            List<Document> rows = cursor.getList("firstBatch", Document.class);
            assertThat(rows).anySatisfy(r -> {
                assertThat(r.getString("appName")).isEqualTo("operator");
                assertThat(r.getString("userAgent")).startsWith("mongo-java-driver|sync/").endsWith("operator");
                assertThat(r.getString("connectionId")).matches("mongodb-\\d+");
                assertThat(r.getString("connector")).isEqualTo("mongodb");
                assertThat(r.containsKey("username")).isTrue();
                assertThat(r.get("username")).isNull();
                assertThat(r.getString("connectTime")).endsWith("Z");
                assertThat(r.getString("clientAddress")).contains("127.0.0.1");
                assertThat(r.getString("serverAddress")).contains(String.valueOf(sluice.server().mongoAddress().getPort()));
                assertThat(r.getString("status")).isIn("Running", "Idle");
            });
            assertThat(rows).anySatisfy(r -> assertThat(r.getString("appName")).isEqualTo("billing"));
        }
    }

    @Test
    void killConnectionFailsTheVictimsNextOperationAndSparesTheCaller() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded();
             MongoClient operator = MongoClients.create(sluice.uri("appName=operator"));
             MongoClient victim = MongoClients.create(sluice.uri("appName=victim&retryReads=false&retryWrites=false"))) {
            MongoDatabase admin = operator.getDatabase("admin");
            victim.getDatabase("test").runCommand(new Document("count", "c"));
            String id = connectionIdOf(admin, "victim");

            Document reply = admin.runCommand(new Document("killConnections", List.of(id, "mongodb-999999")));
            List<Document> results = reply.getList("results", Document.class);
            assertThat(results).hasSize(2);
            assertThat(results.get(0).getString("connectionId")).isEqualTo(id);
            assertThat(results.get(0).getString("message")).isEqualTo("Connection found");
            assertThat(results.get(1).getString("message")).isEqualTo("No connection found with this id");
            assertThat(results.get(1).getString("username")).isEqualTo("n/a");

            assertThatThrownBy(() -> victim.getDatabase("test").runCommand(new Document("count", "c")))
                    .isInstanceOf(MongoSocketException.class);
            assertThat(admin.runCommand(new Document("ping", 1)).get("ok")).isEqualTo(1.0);
            Document single = admin.runCommand(new Document("killConnection", "mongodb-424242"));
            assertThat(single.getList("results", Document.class).get(0).getString("message"))
                    .isEqualTo("No connection found with this id");
        }
    }

    @Test
    void killingYourOwnConnectionStillDeliversTheReply() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded();
             MongoClient self = MongoClients.create(sluice.uri("appName=self&maxPoolSize=1"))) {
            MongoDatabase admin = self.getDatabase("admin");
            self.getDatabase("test").runCommand(new Document("count", "c"));
            String own = connectionIdOf(admin, "self");
            Document reply = admin.runCommand(new Document("killConnection", own));
            assertThat(reply.getList("results", Document.class).get(0).getString("message")).isEqualTo("Connection found");
            await().until(() -> sluice.server().registry().find(own) == null);
            // the driver's pooled connection is gone: its next command fails once, then it reconnects
            assertThatThrownBy(() -> admin.runCommand(new Document("ping", 1))).isInstanceOf(MongoSocketException.class);
            assertThat(admin.runCommand(new Document("ping", 1)).get("ok")).isEqualTo(1.0);
        }
    }

    @Test
    void dropConnectionsEmptiesTheHostsPoolWhileTheProxyKeepsServing() throws Exception {
        try (FakeMongod backend = FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.upstream(backend.uri() + "?maxPoolSize=10");
             MongoClient client = MongoClients.create(sluice.uri())) {
            MongoDatabase admin = client.getDatabase("admin");
            String host = "127.0.0.1:" + backend.port();
            for (int i = 0; i < 5; i++) {
                client.getDatabase("test").runCommand(new Document("count", "c"));
            }
            Document before = admin.runCommand(new Document("connPoolStats", 1));
            assertThat(before.get("hosts", Document.class).get(host, Document.class).getInteger("available")).isPositive();

            assertThatThrownBy(() -> client.getDatabase("test").runCommand(
                    new Document("dropConnections", 1).append("hostAndPort", List.of(host))))
                    .isInstanceOf(MongoCommandException.class)
                    .hasMessageContaining("admin database");

            assertThatThrownBy(() -> admin.runCommand(new Document("dropConnections", 1)
                    .append("hostAndPort", List.of(host, 42))))
                    .isInstanceOfSatisfying(MongoCommandException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(14);
                        assertThat(e.getErrorMessage()).contains("'dropConnections.hostAndPort.1'");
                    });
            assertThat(admin.runCommand(new Document("connPoolStats", 1)).get("hosts", Document.class)
                    .get(host, Document.class).getInteger("available")).isPositive();

            Document ok = admin.runCommand(new Document("dropConnections", 1)
                    .append("hostAndPort", List.of(host, "no-port-here", "bad:port:x"))
                    .append("comment", new Document("ticket", "OPS-1")));
            assertThat(ok.get("ok")).isEqualTo(1.0);
            Document after = admin.runCommand(new Document("connPoolStats", 1));
            assertThat(after.get("hosts", Document.class).get(host, Document.class).getInteger("available")).isZero();
            // what stays open is Sluice's monitoring connection, not a pooled one
            await().until(() -> backend.currentConnections() == sluice.server().cluster().monitorConnectionsOpen());
            assertThat(client.getDatabase("test").runCommand(new Document("count", "c")).get("ok")).isEqualTo(1.0);
        }
    }

    @Test
    void httpApiListsKillsAndDrops() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded();
             MongoClient victim = MongoClients.create(sluice.uri("appName=httpVictim&retryReads=false"))) {
            victim.getDatabase("test").runCommand(new Document("count", "c"));
            String base = "http://127.0.0.1:" + sluice.server().httpAddress().getPort();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(base + "/api/connections"))
                    .header("User-Agent", "ops-script/1.0").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).contains("httpVictim").contains("ops-script/1.0").contains("\"connector\":\"http\"");
            String id = sluice.server().registry().snapshot().stream()
                    .filter(e -> "httpVictim".equals(e.appName()) && e.opCount() > 0).findFirst().orElseThrow().connectionId();
            HttpResponse<String> kill = http.send(HttpRequest.newBuilder(URI.create(base + "/api/connections/kill"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"ids\": [\"" + id + "\"]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(kill.body()).contains("Connection found");
            assertThatThrownBy(() -> victim.getDatabase("test").runCommand(new Document("count", "c")))
                    .isInstanceOf(MongoSocketException.class);
            String host = sluice.server().cluster().statistics().get(0).host();
            HttpResponse<String> drop = http.send(HttpRequest.newBuilder(URI.create(base + "/api/dropConnections"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"hostAndPort\": [\"" + host + "\"]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(drop.statusCode()).isEqualTo(200);
            assertThat(sluice.server().cluster().statistics().get(0).available()).isZero();
        }
    }

    @Test
    void dashboardShowsADriversConnectionAndItsKillButtonKillsIt(@TempDir Path profile) throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded();
             HeadlessChromium chromium = HeadlessChromium.start(profile);
             MongoClient app = MongoClients.create(sluice.uri("appName=dashVictim&retryReads=false"))) {
            app.getDatabase("test").runCommand(new Document("count", "c"));
            String id = sluice.server().registry().snapshot().stream()
                    .filter(e -> "dashVictim".equals(e.appName()) && e.opCount() > 0).findFirst().orElseThrow().connectionId();
            var browser = chromium.browser();
            browser.get("http://127.0.0.1:" + sluice.server().httpAddress().getPort() + "/");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            wait.ignoring(StaleElementReferenceException.class); // the table re-renders every 2 s
            String row = "tr[data-id='" + id + "']";
            wait.until(d -> d.findElement(By.cssSelector(row)).getText().contains("dashVictim"));
            wait.until(d -> {
                d.findElement(By.cssSelector(row + " button.kill")).click();
                return true;
            });
            wait.until(ExpectedConditions.alertIsPresent()).accept(); // the dashboard asks before killing
            await().atMost(Duration.ofSeconds(10)).until(() -> sluice.server().registry().find(id) == null);
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(row), 0));
            assertThatThrownBy(() -> app.getDatabase("test").runCommand(new Document("count", "c")))
                    .isInstanceOf(MongoSocketException.class);
        }
    }
}
