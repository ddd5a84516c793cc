package dev.sluice.server.topology;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Monitoring, server selection and failover seen by a real driver through Sluice: a dead mongos in the seed list is
 * never selected and not redialled in a tight loop; a mongos that stops under load, or an upstream restarted after
 * two seconds, costs the clients no error (Sluice waits for a server and replays reads and retryable writes). The
 * clients do not retry reads themselves, so what they see is Sluice's doing.
 */
class UpstreamFailoverIT {
    /** The clients' side: no driver retry of reads, so a failed read would reach the test. */
    private static final String CLIENT = "retryReads=false&retryWrites=true&serverSelectionTimeoutMS=20000"
            + "&socketTimeoutMS=20000";

    /** A port that accepts TCP connections and closes them at once, counting them: a mongos that is down. */
    private static final class DeadHost implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0);
        private final List<Long> attempts = Collections.synchronizedList(new ArrayList<>());
        private final Thread acceptor;

        DeadHost() throws IOException {
            acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        attempts.add(System.nanoTime());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "dead-host");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        List<Long> attempts() {
            synchronized (attempts) {
                return List.copyOf(attempts);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aDeadMongosInTheSeedListIsNeverSelectedNorRedialledInATightLoop() throws Exception {
        try (FakeMongod live = FakeMongod.start();
             DeadHost dead = new DeadHost();
             SluiceHarness sluice = SluiceHarness.upstream("mongodb://127.0.0.1:" + live.port() + ",127.0.0.1:"
                     + dead.port() + "/?heartbeatFrequencyMS=500");
             MongoClient client = MongoClients.create(sluice.uri(CLIENT))) {
            MongoCollection<Document> c = client.getDatabase("test").getCollection("c");
            for (int i = 0; i < 52; i++) {
                switch (i % 3) {
                    case 0 -> c.insertOne(new Document("i", i));
                    case 1 -> c.find().first();
                    default -> client.getDatabase("test").runCommand(new Document("count", "c"));
                }
            }
            ServerDescription deadServer = sluice.server().cluster().description()
                    .server(new ServerAddress("127.0.0.1", dead.port()));
            assertThat(deadServer.type()).isEqualTo(ServerType.UNKNOWN);
            assertThat(deadServer.error()).isNotNull();

            // over a few heartbeats, the dead host is dialled once per heartbeat (its monitor), never in a loop
            int before = dead.attempts().size();
            await().atMost(Duration.ofSeconds(10)).until(() -> dead.attempts().size() >= before + 4);
            List<Long> attempts = dead.attempts();
            for (int i = Math.max(1, before); i < attempts.size(); i++) {
                long gapMs = TimeUnit.NANOSECONDS.toMillis(attempts.get(i) - attempts.get(i - 1));
                assertThat(gapMs).as("ms between two connection attempts to the dead host").isGreaterThan(350);
            }
            assertThat(sluice.server().cluster().pool("127.0.0.1:" + dead.port()).stats().created())
                    .as("pooled connections ever opened to the dead host").isZero();
        }
    }

    @Test
    void aMongosStoppedUnderLoadCostsTheClientsNoError() throws Exception {
        FakeMongod a = FakeMongod.start();
        try (FakeMongod b = FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.upstream("mongodb://127.0.0.1:" + a.port() + ",127.0.0.1:"
                     + b.port() + "/?heartbeatFrequencyMS=500&connectTimeoutMS=2000");
             Load load = new Load(MongoClients.create(sluice.uri(CLIENT)), 8)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> load.successes() > 200);
            a.close();
            long stopped = load.successes();
            await().atMost(Duration.ofSeconds(20)).until(() -> load.successes() > stopped + 300);
            load.stop();
            assertThat(load.errors()).as("errors seen by the clients").isEmpty();
            assertThat(b.count("insert")).isPositive();
        } finally {
            a.close();
        }
    }

    @Test
    void anUpstreamRestartedAfterTwoSecondsCostsTheClientsNoError() throws Exception {
        FakeMongod[] backend = {FakeMongod.start()};
        int port = backend[0].port();
        try (SluiceHarness sluice = SluiceHarness.upstream(backend[0].uri() + "?connectTimeoutMS=2000");
             Load load = new Load(MongoClients.create(sluice.uri(CLIENT)), 8)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> load.successes() > 200);
            backend[0].close();
            long outageStart = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(() -> sluice.server().cluster().waitingForServer() > 0);
            // the outage: two seconds with nothing listening on the upstream's port
            await().pollDelay(Duration.ofNanos(Math.max(1, TimeUnit.SECONDS.toNanos(2)
                    - (System.nanoTime() - outageStart)))).until(() -> true);
            backend[0] = FakeMongod.start(port);
            long outageMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - outageStart);
            long restarted = load.successes();
            await().atMost(Duration.ofSeconds(20)).until(() -> load.successes() > restarted + 300);
            load.stop();
            assertThat(load.errors()).as("errors seen by the clients").isEmpty();
            assertThat(load.longestMillis()).as("longest operation (ms), the outage lasting %d ms", outageMs)
                    .isLessThan(outageMs + 4_000);
            assertThat(backend[0].count("insert")).as("writes after the restart").isPositive();
            System.out.println("[failover] outage " + outageMs + " ms, longest operation " + load.longestMillis() + " ms");
        } finally {
            backend[0].close();
        }
    }

    /** Threads running finds, counts and retryable inserts in a loop, recording errors and durations. */
    static final class Load implements AutoCloseable {
        private final MongoClient client;
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicLong successes = new AtomicLong();
        private final AtomicLong longestNanos = new AtomicLong();
        private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        private volatile boolean running = true;

        Load(MongoClient client, int threadCount) {
            this.client = client;
            MongoCollection<Document> c = client.getDatabase("test").getCollection("load");
            AtomicInteger ids = new AtomicInteger();
            for (int t = 0; t < threadCount; t++) {
                int kind = t;
                Thread thread = new Thread(() -> {
                    while (running) {
                        long start = System.nanoTime();
                        try {
                            switch (kind % 3) {
                                case 0 -> c.insertOne(new Document("_id", ids.incrementAndGet()));
                                case 1 -> c.find().first();
                                default -> client.getDatabase("test").runCommand(new Document("count", "load"));
                            }
                            successes.incrementAndGet();
                        } catch (RuntimeException e) {
                            if (running) {
                                errors.add(e);
                            }
                        }
                        longestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                    }
                }, "load-" + t);
                threads.add(thread);
                thread.start();
            }
        }

        long successes() {
            return successes.get();
        }

        List<Throwable> errors() {
            return List.copyOf(errors);
        }

        long longestMillis() {
            return TimeUnit.NANOSECONDS.toMillis(longestNanos.get());
        }

        void stop() throws InterruptedException {
            running = false;
            for (Thread t : threads) {
                t.join(30_000);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
            client.close();
        }
    }
}
