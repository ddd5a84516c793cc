package dev.sluice.server.lifecycle;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Sluices in one driver's seed list (both routers over one upstream): one drains while the Java driver
 * reads through both. The driver's retryable reads cover the refused connections and the quiesce, no read
 * fails, and once the drained Sluice is gone every read goes to the other. (Writes are retried the same way
 * only where the upstream supports sessions, which the embedded backend does not.)
 */
class FleetFailoverIT {
    private static final int DOCS = 100;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Operations run by the open client connections of {@code sluice}. */
    private static long ops(SluiceHarness sluice) {
        long n = 0;
        for (var e : sluice.server().registry().snapshot()) {
            if ("mongodb".equals(e.connector())) {
                n += e.opCount();
            }
        }
        return n;
    }

    @Test
    void aDriverWithTwoSluicesKeepsWorkingWhileOneDrains() throws Exception {
        try (SluiceHarness backend = SluiceHarness.embedded();
             SluiceHarness leaving = SluiceHarness.start(backend.uri(), ConfigFile.parse("shutdownTimeoutMS: 10000", "test"));
             SluiceHarness staying = SluiceHarness.upstream(backend.uri())) {
            String seeds = "mongodb://127.0.0.1:" + leaving.server().mongoAddress().getPort() + ",127.0.0.1:"
                    + staying.server().mongoAddress().getPort() + "/?retryWrites=true&retryReads=true&localThresholdMS=1000";
            try (MongoClient client = MongoClients.create(seeds)) {
                MongoCollection<Document> docs = client.getDatabase("fleet").getCollection("docs");
                List<Document> seed = new ArrayList<>();
                for (int i = 0; i < DOCS; i++) {
                    seed.add(new Document("_id", i));
                }
                docs.insertMany(seed);

                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger done = new AtomicInteger();
                Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
                List<Thread> workers = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int base = t * 1_000_000;
                    Thread w = new Thread(() -> {
                        int i = 0;
                        while (!stop.get()) {
                            String step = "find";
                            try {
                                assertThat(docs.find(new Document("_id", (base + i) % DOCS)).first()).isNotNull();
                                i++;
                                done.incrementAndGet();
                            } catch (RuntimeException | AssertionError e) {
                                errors.add(new AssertionError(step + " " + (base + i) + " failed at "
                                        + System.nanoTime() / 1_000_000 + ": " + e, e));
                                return;
                            }
                        }
                    }, "fleet-worker-" + t);
                    w.start();
                    workers.add(w);
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> done.get() >= 200 || !errors.isEmpty());
                HttpResponse<String> drain = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + leaving.server().httpAddress().getPort() + "/api/drain"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(drain.statusCode()).isEqualTo(202);
                leaving.server().stopped().get(15, TimeUnit.SECONDS);
                int afterStop = done.get();
                long stayingOps = ops(staying);
                await().atMost(Duration.ofSeconds(20)).until(() -> done.get() >= afterStop + 200 || !errors.isEmpty());
                stop.set(true);
                for (Thread w : workers) {
                    w.join(TimeUnit.SECONDS.toMillis(20));
                }
                assertThat(errors).isEmpty();
                assertThat(ops(staying)).isGreaterThan(stayingOps);
            }
        }
    }
}
