package dev.sluice.server.deploy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.testing.SimulatedReplicaSet;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fleet as issue "A fleet of Sluices" describes it: three Sluices in front of one cluster (the test kit's
 * simulated replica set, with retryable writes), behind the shipped HAProxy configuration, with the real Java driver in
 * {@code loadBalanced=true}. Cursors with many getMores and retryable writes run while the balancer spreads
 * connections; the fleet view lists all three; a kill issued on one instance ends a connection held by another;
 * one instance drains and stops mid-load and no client sees an error; the cluster never sees more connections
 * than the fleet's budget. Skipped, saying so, without HAProxy.
 */
class LoadBalancedFleetIT {
    private static final int DOCS = 50;
    private static final int BUDGET = 60;

    @TempDir
    Path dir;

    @Test
    void threeSluicesBehindHaproxyServeLoadBalancedClientsThroughADrainWithoutErrors() throws Exception {
        Path haproxy = Haproxy.binary();
        Assumptions.assumeTrue(haproxy != null, "haproxy is not installed (apt-get install haproxy): fleet test not run");
        ConfigFile member = ConfigFile.parse("shutdownTimeoutMS: 20000\nnet: {loadBalancedListen: 127.0.0.1:0}\n"
                + "fleet: {enabled: true, heartbeatIntervalMS: 200, instanceTimeoutMS: 1500, connectionBudget: "
                + BUDGET + "}", "LoadBalancedFleetIT");
        try (SimulatedReplicaSet cluster = SimulatedReplicaSet.start(3)) {
            String upstream = cluster.uri() + "&heartbeatFrequencyMS=500";
            try (MongoClient seed = MongoClients.create(cluster.uri())) {
                MongoCollection<Document> docs = seed.getDatabase("fleet").getCollection("docs");
                for (int i = 0; i < DOCS; i++) {
                    docs.insertOne(new Document("_id", i).append("n", i));
                }
            }
            AtomicInteger peak = new AtomicInteger();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    for (var m : cluster.members()) {
                        peak.accumulateAndGet(m.currentConnections(), Math::max); // the budget is per host
                    }
                    Thread.onSpinWait();
                }
            }, "budget-sampler");
            sampler.setDaemon(true);
            sampler.start();
            List<SluiceHarness> sluices = new ArrayList<>();
            Process proxy = null;
            try {
                for (int i = 0; i < 3; i++) {
                    sluices.add(SluiceHarness.start(upstream, member));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> sluices.stream().allMatch(s ->
                        s.server().fleet() != null && s.server().fleet().instances().get("instances").size() == 3
                                && s.server().notReadyReason() == null));
                int front;
                try (ServerSocket s = new ServerSocket(0)) {
                    front = s.getLocalPort();
                }
                Path cfg = dir.resolve("haproxy.cfg");
                Files.writeString(cfg, configFor(front, sluices));
                proxy = new ProcessBuilder(haproxy.toString(), "-db", "-f", cfg.toString()).redirectErrorStream(true)
                        .redirectOutput(new File("target/haproxy-lb-fleet-it.log")).start();
                await().atMost(Duration.ofSeconds(15)).until(() -> sluices.stream()
                        .allMatch(s -> s.server().registry().totalAccepted("http") > 1));

                AtomicBoolean running = new AtomicBoolean(true);
                AtomicLong cursorsRead = new AtomicLong();
                AtomicLong writes = new AtomicLong();
                AtomicInteger errors = new AtomicInteger();
                AtomicReference<Throwable> firstError = new AtomicReference<>();
                ExecutorService load = Executors.newFixedThreadPool(6);
                try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + front
                        + "/?loadBalanced=true&maxPoolSize=12&appName=lb-fleet")) {
                    MongoCollection<Document> docs = client.getDatabase("fleet").getCollection("docs");
                    MongoCollection<Document> log = client.getDatabase("fleet").getCollection("log");
                    for (int t = 0; t < 6; t++) {
                        int thread = t;
                        load.execute(() -> {
                            long n = 0;
                            while (running.get()) {
                                String step = "find";
                                try {
                                    int read = 0;
                                    try (MongoCursor<Document> cursor = docs.find().batchSize(2).iterator()) {
                                        step = "getMore";
                                        while (cursor.hasNext()) {
                                            cursor.next();
                                            read++;
                                        }
                                    }
                                    assertThat(read).isEqualTo(DOCS);
                                    cursorsRead.incrementAndGet();
                                    step = "insert";
                                    log.insertOne(new Document("thread", thread).append("n", n++));
                                    writes.incrementAndGet();
                                } catch (Throwable e) {
                                    errors.incrementAndGet();
                                    firstError.compareAndSet(null, new AssertionError("in " + step + ": " + e, e));
                                }
                            }
                        });
                    }
                    await().atMost(Duration.ofSeconds(60)).until(() -> cursorsRead.get() >= 30);
                    // the balancer spread the driver's connections over the three
                    await().atMost(Duration.ofSeconds(30)).until(() -> sluices.stream()
                            .allMatch(s -> s.server().registry().totalAccepted("mongodb-lb") > 0));

                    // one view of every instance, from any of them
                    try (MongoClient operator = MongoClients.create(sluices.get(0).uri("appName=operator"));
                         MongoClient victim = MongoClients.create(sluices.get(1).uri("appName=victim"))) {
                        victim.getDatabase("admin").runCommand(new Document("ping", 1));
                        Document all = operator.getDatabase("admin").runCommand(new Document("listConnections", 1)
                                .append("fleet", true).append("cursor", new Document("batchSize", 100_000)));
                        Set<String> instances = new HashSet<>();
                        String victimId = null;
                        for (Document row : all.get("cursor", Document.class).getList("firstBatch", Document.class)) {
                            instances.add(row.getString("instance"));
                            if ("victim".equals(row.getString("appName"))) {
                                victimId = row.getString("connectionId");
                            }
                        }
                        assertThat(instances).hasSize(3);
                        assertThat(victimId).isNotNull();
                        // a kill issued on one instance ends a connection held by another
                        String holder = sluices.get(1).server().fleet().selfId();
                        Document killed = operator.getDatabase("admin").runCommand(
                                new Document("killConnection", victimId).append("instance", holder));
                        assertThat(killed.getList("results", Document.class).get(0).getString("message"))
                                .isEqualTo("Connection found");
                        String gone = victimId;
                        await().atMost(Duration.ofSeconds(10))
                                .until(() -> sluices.get(1).server().registry().find(gone) == null);
                    }

                    // one instance drains and stops mid-load
                    SluiceHarness draining = sluices.get(2);
                    long before = cursorsRead.get();
                    draining.server().drain("LoadBalancedFleetIT");
                    draining.server().stopped().get(30, TimeUnit.SECONDS);
                    await().atMost(Duration.ofSeconds(60)).until(() -> cursorsRead.get() >= before + 30);
                    running.set(false);
                    load.shutdown();
                    assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
                    assertThat(errors.get()).as("errors seen by clients; first: %s", firstError.get()).isZero();
                    assertThat(writes.get()).isPositive();
                    assertThat(client.getDatabase("fleet").getCollection("log").countDocuments()).isEqualTo(writes.get());
                } finally {
                    running.set(false);
                    load.shutdownNow();
                }
            } finally {
                sampling.set(false);
                if (proxy != null) {
                    proxy.destroy();
                    proxy.waitFor();
                }
                sluices.forEach(SluiceHarness::close);
            }
            assertThat(peak.get()).as("connections the cluster saw from the fleet").isPositive()
                    .isLessThanOrEqualTo(BUDGET);
        }
    }

    /** The shipped file in front of {@code sluices}. */
    private static String configFor(int front, List<SluiceHarness> sluices) throws Exception {
        List<Haproxy.Backend> backends = new ArrayList<>();
        for (SluiceHarness sluice : sluices) {
            var s = sluice.server();
            backends.add(new Haproxy.Backend(s.loadBalancedAddress().getPort(), s.httpAddress().getPort()));
        }
        return Haproxy.config(front, backends);
    }
}
