package dev.sluice.server.faults;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.SluiceHarness;
import dev.sluice.server.upstream.HostPoolStats;
import org.bson.BsonArray;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults injected under a bounded concurrent load (20 driver threads over 4 MongoClients through one
 * Sluice in front of a fake mongod). For each fault: every operation ends in a result or a clean
 * MongoException within its timeouts (no thread stuck, none longer than the bound); service
 * recovers once the fault is removed, without restarting Sluice; and once the load stops no
 * backend connection leaks: the pool has nothing in use and its figures match the sockets the
 * backend sees open; no client connection is left in Sluice's registry.
 *
 * <p>Each scenario appends a row to {@code target/reliability/faults.md} (see RELIABILITY.md).
 */
class FaultsUnderLoadIT {
    private static final int THREADS = 20;
    private static final int CLIENTS = 4;
    /** Sluice's upstream side. */
    private static final String UPSTREAM_OPTIONS =
            "?maxPoolSize=10&connectTimeoutMS=1000&socketTimeoutMS=1000&waitQueueTimeoutMS=2000";
    /** The applications' side. */
    private static final String CLIENT_OPTIONS =
            "serverSelectionTimeoutMS=3000&connectTimeoutMS=2000&socketTimeoutMS=6000&maxPoolSize=10";
    /** No operation may take longer: socketTimeoutMS twice (one retry) and a margin. */
    private static final long OPERATION_BOUND_MS = 14_000;
    private static final Duration FAULT_TIME = Duration.ofMillis(2_000);
    private static final Path TABLE = Paths.get("target", "reliability", "faults.md");

    private final List<String> rows = new ArrayList<>();

    /** What a scenario does to the system, and how it undoes it. */
    interface Fault {
        void inject() throws Exception;

        void remove() throws Exception;
    }

    @AfterAll
    static void where() {
        System.out.println("[faults] table rows in " + TABLE.toAbsolutePath());
    }

    @Test
    void upstreamKilledForTwoSecondsThenBack() throws Exception {
        FakeMongod[] backend = {FakeMongod.start()};
        int port = backend[0].port();
        try (SluiceHarness sluice = SluiceHarness.upstream(backend[0].uri() + UPSTREAM_OPTIONS)) {
            run("upstream killed (listener and all sockets closed) for 2 s, then started again", sluice,
                    () -> backend[0], Workload.MIX, new Fault() {
                        @Override
                        public void inject() {
                            backend[0].close();
                        }

                        @Override
                        public void remove() throws Exception {
                            backend[0] = FakeMongod.start(port);
                        }
                    });
        } finally {
            backend[0].close();
        }
    }

    @Test
    void upstreamRestartedAtOnce() throws Exception {
        FakeMongod[] backend = {FakeMongod.start()};
        int port = backend[0].port();
        try (SluiceHarness sluice = SluiceHarness.upstream(backend[0].uri() + UPSTREAM_OPTIONS)) {
            run("upstream restarted (stopped and started on the same port at once; pooled sockets dead)", sluice,
                    () -> backend[0], Workload.MIX, new Fault() {
                        @Override
                        public void inject() throws Exception {
                            backend[0].close();
                            backend[0] = FakeMongod.start(port);
                        }

                        @Override
                        public void remove() {
                        }
                    });
        } finally {
            backend[0].close();
        }
    }

    @Test
    void upstreamSlowerThanSocketTimeout() throws Exception {
        try (FakeMongod backend = FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.upstream(backend.uri() + UPSTREAM_OPTIONS)) {
            run("upstream slow: every reply delayed 1,500 ms (Sluice socketTimeoutMS=1000)", sluice,
                    () -> backend, Workload.MIX, new Fault() {
                        @Override
                        public void inject() {
                            backend.slow(1_500);
                        }

                        @Override
                        public void remove() {
                            backend.slow(0);
                        }
                    });
        }
    }

    @Test
    void upstreamDropsConnectionsMidReply() throws Exception {
        try (FakeMongod backend = FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.upstream(backend.uri() + UPSTREAM_OPTIONS)) {
            run("upstream drops the connection mid-reply (every 5th reply cut in half)", sluice,
                    () -> backend, Workload.MIX, new Fault() {
                        @Override
                        public void inject() {
                            backend.dropEvery(5);
                        }

                        @Override
                        public void remove() {
                            backend.dropEvery(0);
                        }
                    });
        }
    }

    @Test
    void clientConnectionsKilledMidOperation() throws Exception {
        Workload.Operation slowMix = (client, collection, i) -> {
            if (i % 2 == 0) {
                client.getDatabase("test").runCommand(new Document("sleep", 100)); // 100 ms upstream
            } else {
                Workload.MIX.run(client, collection, i);
            }
        };
        try (FakeMongod backend = FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.upstream(backend.uri() + UPSTREAM_OPTIONS);
             MongoClient admin = MongoClients.create(sluice.uri("appName=killer&" + CLIENT_OPTIONS))) {
            Killer killer = new Killer(admin);
            run("Sluice's client connections killed mid-operation ({killConnections: [3 random load ids]} every 100 ms)",
                    sluice, () -> backend, slowMix, new Fault() {
                        @Override
                        public void inject() {
                            killer.start();
                        }

                        @Override
                        public void remove() throws InterruptedException {
                            killer.stop();
                        }
                    });
            assertThat(killer.killed).as("connections killed").isPositive();
        }
    }

    /**
     * With socketTimeoutMS unset upstream (the default), an upstream that never answers holds the
     * operation until the client gives up; Sluice must then discard that backend connection (its state
     * is unknown), not leak it, and keep serving.
     */
    @Test
    void stalledUpstreamWithoutSocketTimeoutIsReleasedWhenTheClientGivesUp() throws Exception {
        try (FakeMongod backend = FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.upstream(backend.uri() + "?maxPoolSize=10");
             MongoClient client = MongoClients.create(sluice.uri("socketTimeoutMS=1000&appName=stall&retryReads=false"))) {
            List<Thread> threads = new ArrayList<>();
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 5; i++) {
                Thread t = new Thread(() -> {
                    try {
                        client.getDatabase("test").runCommand(new Document("stall", 1));
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join(10_000);
                assertThat(t.isAlive()).as("a stalled operation still running").isFalse();
            }
            assertThat(errors).hasSize(5).allMatch(e -> e instanceof com.mongodb.MongoSocketReadTimeoutException);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                HostPoolStats s = sluice.server().cluster().statistics().get(0);
                assertThat(s.inUse()).isZero();
                assertThat(s.available() + s.inUse() + s.refreshing() + sluice.server().cluster().monitorConnectionsOpen())
                        .isEqualTo(backend.currentConnections());
            });
            assertThat(client.getDatabase("test").runCommand(new Document("count", "c")).get("ok")).isEqualTo(1.0);
        }
    }

    /** Kills three random connections of the load every 100 ms with the admin command. */
    private static final class Killer {
        private final MongoClient admin;
        private volatile boolean running;
        private Thread thread;
        private volatile int killed;

        Killer(MongoClient admin) {
            this.admin = admin;
        }

        void start() {
            running = true;
            thread = new Thread(() -> {
                while (running) {
                    try {
                        Document list = admin.getDatabase("admin").runCommand(new Document("listConnections", 1));
                        List<Document> rows = list.get("cursor", Document.class).getList("firstBatch", Document.class);
                        BsonArray ids = new BsonArray();
                        for (Document row : rows) {
                            String app = row.getString("appName");
                            if (app != null && app.startsWith("load-") && ThreadLocalRandom.current().nextInt(4) == 0
                                    && ids.size() < 3) {
                                ids.add(new BsonString(row.getString("connectionId")));
                            }
                        }
                        if (!ids.isEmpty()) {
                            admin.getDatabase("admin").runCommand(new Document("killConnections", ids));
                            killed += ids.size();
                        }
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        // the killer's own failures do not matter to the scenario
                    }
                }
            }, "killer");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(10_000);
        }
    }

    // --- the scenario ------------------------------------------------------------------------

    private void run(String fault, SluiceHarness sluice, java.util.function.Supplier<FakeMongod> backend,
                     Workload.Operation operation, Fault action) throws Exception {
        Map<String, Long> outcomes;
        long recoveryMs;
        long longest;
        try (Workload load = new Workload(sluice.uri(), CLIENT_OPTIONS, CLIENTS, THREADS, operation)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> load.successes() >= 100);
            long failuresBefore = load.failures();
            HostPoolStats before = sluice.server().cluster().statistics().get(0);
            action.inject();
            long injected = System.nanoTime();
            // the fault is seen: by the clients, or only by Sluice when it absorbs it (a pool cleared after a
            // network error, or dead pooled connections discarded and replaced)
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                HostPoolStats now = sluice.server().cluster().statistics().get(0);
                return load.failures() > failuresBefore || now.clears() > before.clears() || now.closed() > before.closed();
            });
            await().pollDelay(remaining(injected)).atMost(remaining(injected).plusSeconds(1)).until(() -> true);
            action.remove();
            long removed = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> load.everyThreadSucceededSince(removed));
            recoveryMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - removed);
            // a second of steady service after recovery
            long steady = load.successes();
            await().atMost(Duration.ofSeconds(10)).until(() -> load.successes() > steady + 50);
            List<String> stuck = load.stop(OPERATION_BOUND_MS);
            assertThat(stuck).as("threads stuck in an operation").isEmpty();
            assertThat(load.unexpected()).as("non-MongoDB exceptions").isEmpty();
            longest = load.longestOperationMillis();
            assertThat(longest).as("longest operation (ms)").isLessThan(OPERATION_BOUND_MS);
            outcomes = load.outcomes();
            load.samples().forEach((k, v) -> System.out.println("[faults]   " + k + ": " + v));
        }
        // no leaks: nothing in use, and the pool's sockets are the backend's sockets
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            HostPoolStats s = sluice.server().cluster().statistics().get(0);
            assertThat(s.inUse()).as("backend connections in use").isZero();
            assertThat(s.available() + s.inUse() + s.refreshing() + sluice.server().cluster().monitorConnectionsOpen())
                    .as("pool figures (and the monitoring connection) vs sockets open at the backend")
                    .isEqualTo(backend.get().currentConnections());
        });
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                sluice.server().registry().snapshot().stream().filter(e -> e.connectionId().startsWith("mongodb-"))
                        .filter(e -> !"killer".equals(e.appName())).count())
                .as("client connections left in the registry").isZero());
        HostPoolStats s = sluice.server().cluster().statistics().get(0);
        record(fault, outcomes, recoveryMs, longest, s, backend.get().currentConnections());
    }

    private static Duration remaining(long injectedNanos) {
        long left = FAULT_TIME.toNanos() - (System.nanoTime() - injectedNanos);
        return Duration.ofNanos(Math.max(1_000_000, left));
    }

    private void record(String fault, Map<String, Long> outcomes, long recoveryMs, long longestMs, HostPoolStats s,
                        int backendSockets) throws IOException {
        StringBuilder errors = new StringBuilder();
        outcomes.forEach((k, v) -> {
            if (!k.equals("ok")) {
                errors.append(errors.length() == 0 ? "" : "; ").append(k).append(" x").append(v);
            }
        });
        String row = "| " + fault + " | " + outcomes.getOrDefault("ok", 0L) + " | " + errors + " | " + recoveryMs
                + " | " + longestMs + " | inUse " + s.inUse() + ", available " + s.available() + ", pending "
                + s.refreshing() + " = backend sockets " + backendSockets + "; created " + s.created() + ", closed "
                + s.closed() + ", clears " + s.clears() + " |";
        rows.add(row);
        System.out.println("[faults] " + row);
        Files.createDirectories(TABLE.getParent());
        Files.writeString(TABLE, row + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
