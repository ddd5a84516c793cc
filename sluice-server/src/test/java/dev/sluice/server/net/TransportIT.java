package dev.sluice.server.net;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.config.NetTransport;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each network transport ({@code net.transport}) end to end: the Java driver through Sluice (its connector, its
 * backend connections to the embedded backend) with a 5 MB document and 16 clients at once, and the HTTP API.
 * A transport this machine cannot run is skipped, and says why.
 */
class TransportIT {

    @ParameterizedTest
    @EnumSource(value = NetTransport.class, names = {"IO_URING", "EPOLL", "NIO"})
    void driverAndHttpWorkOnEachTransport(NetTransport transport) throws Exception {
        String unavailable = Transport.unavailability(transport);
        assumeTrue(unavailable == null, () -> transport + " is not available here: " + unavailable);
        ConfigFile file = ConfigFile.parse("net: {transport: " + transport.configName() + "}", "test");
        try (SluiceHarness sluice = SluiceHarness.start(null, file);
             MongoClient client = MongoClients.create(sluice.uri("appName=transport-" + transport.configName()))) {
            assertThat(sluice.server().transportName()).isEqualTo(transport.configName());

            MongoCollection<Document> c = client.getDatabase("t").getCollection("transport");
            c.drop();
            String big = "x".repeat(5 * 1024 * 1024); // several reads and writes per message
            c.insertOne(new Document("_id", 0).append("big", big));
            assertThat(c.find(new Document("_id", 0)).first().getString("big")).isEqualTo(big);

            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int i = 1; i <= 16; i++) {
                int id = i;
                clients.add(CompletableFuture.runAsync(() -> {
                    for (int j = 0; j < 50; j++) {
                        c.insertOne(new Document("_id", id * 1000 + j));
                        assertThat(c.find(new Document("_id", id * 1000 + j)).first()).isNotNull();
                    }
                }));
            }
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get();
            assertThat(c.countDocuments()).isEqualTo(1 + 16 * 50);

            var http = sluice.server().httpAddress();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http.getPort() + "/api/connections")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("transport-" + transport.configName());
        }
    }
}
