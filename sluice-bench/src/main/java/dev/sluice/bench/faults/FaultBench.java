package dev.sluice.bench.faults;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.config.SluiceConfig;
import dev.sluice.server.embedded.EmbeddedBackend;
import dev.sluice.server.upstream.HostPoolStats;
import org.bson.BsonArray;
import org.bson.BsonString;
import org.bson.Document;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The fault scenarios of FaultsUnderLoadIT, longer and against a real (embedded, in-memory) MongoDB
 * backend behind a {@link ChaosProxy}: Sluice in-process, the real Java driver as the load. For each
 * fault it prints what the clients saw (outcomes by kind), how long service took to come back once
 * the fault was removed, the longest operation, whether any thread hung, and the leak check (pool
 * in use 0; pool sockets = sockets open through the proxy; client registry empty). Prints a
 * markdown table at the end; exit code 1 when any check failed.
 *
 * <pre>
 * sluice-bench/scripts/faults.sh [--threads 20] [--fault-seconds 10] [--warmup-seconds 5]
 *     [--scenarios kill,restart,slow,drop,killConnections]
 * </pre>
 */
public final class FaultBench {
    private static final String UPSTREAM_OPTIONS =
            "?maxPoolSize=10&connectTimeoutMS=1000&socketTimeoutMS=1000&waitQueueTimeoutMS=2000";
    private static final String CLIENT_OPTIONS =
            "serverSelectionTimeoutMS=3000&connectTimeoutMS=2000&socketTimeoutMS=6000&maxPoolSize=10";
    private static final long OPERATION_BOUND_MS = 14_000;

    private final int threads;
    private final long faultMs;
    private final long warmupMs;
    private final List<String> rows = new ArrayList<>();
    private boolean allPassed = true;

    private FaultBench(int threads, long faultMs, long warmupMs) {
        this.threads = threads;
        this.faultMs = faultMs;
        this.warmupMs = warmupMs;
    }

    /** A fault: how to inject it and how to remove it. */
    private interface Fault {
        void inject() throws Exception;

        void remove() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        FaultBench bench = new FaultBench(Integer.parseInt(o.getOrDefault("threads", "20")),
                1000L * Long.parseLong(o.getOrDefault("fault-seconds", "10")),
                1000L * Long.parseLong(o.getOrDefault("warmup-seconds", "5")));
        String scenarios = o.getOrDefault("scenarios", "kill,restart,slow,drop,killConnections");
        for (String s : scenarios.split(",")) {
            bench.scenario(s.trim());
        }
        System.out.println();
        System.out.println("| fault | ok ops | errors seen by clients | recovery (ms) | longest op (ms) | hung | leaks |");
        System.out.println("|---|---|---|---|---|---|---|");
        bench.rows.forEach(System.out::println);
        System.exit(bench.allPassed ? 0 : 1);
    }

    private void scenario(String name) throws Exception {
        try (EmbeddedBackend backend = EmbeddedBackend.start(17);
             ChaosProxy proxy = new ChaosProxy(backend.address())) {
            SluiceServer sluice = new SluiceServer(SluiceConfig.merge(ConfigFile.EMPTY, "127.0.0.1:0", null,
                    "mongodb://127.0.0.1:" + proxy.port() + "/" + UPSTREAM_OPTIONS), Clock.systemUTC()).start();
            String uri = "mongodb://127.0.0.1:" + sluice.mongoAddress().getPort() + "/";
            try (MongoClient admin = MongoClients.create(uri + "?appName=killer&" + CLIENT_OPTIONS)) {
                Fault fault;
                String label;
                switch (name) {
                    case "kill" -> {
                        label = "upstream killed (all sockets closed, port closed) for " + faultMs / 1000 + " s";
                        fault = new Fault() {
                            public void inject() {
                                proxy.kill();
                            }

                            public void remove() throws Exception {
                                proxy.start();
                            }
                        };
                    }
                    case "restart" -> {
                        label = "upstream restarted at once (pooled sockets dead)";
                        fault = new Fault() {
                            public void inject() throws Exception {
                                proxy.kill();
                                proxy.start();
                            }

                            public void remove() {
                            }
                        };
                    }
                    case "slow" -> {
                        label = "upstream slow: replies delayed 1,500 ms (socketTimeoutMS=1000) for " + faultMs / 1000 + " s";
                        fault = new Fault() {
                            public void inject() {
                                proxy.delay(1_500);
                            }

                            public void remove() {
                                proxy.delay(0);
                            }
                        };
                    }
                    case "drop" -> {
                        label = "upstream drops connections mid-reply (every 20th read cut in half) for " + faultMs / 1000 + " s";
                        fault = new Fault() {
                            public void inject() {
                                proxy.dropEvery(20);
                            }

                            public void remove() {
                                proxy.dropEvery(0);
                            }
                        };
                    }
                    case "killConnections" -> {
                        label = "client connections killed mid-operation (killConnections, 3 ids / 100 ms) for "
                                + faultMs / 1000 + " s";
                        Killer killer = new Killer(admin);
                        fault = new Fault() {
                            public void inject() {
                                killer.start();
                            }

                            public void remove() throws InterruptedException {
                                killer.stop();
                            }
                        };
                    }
                    default -> throw new IllegalArgumentException("unknown scenario " + name
                            + " (kill, restart, slow, drop, killConnections)");
                }
                run(label, sluice, proxy, uri, fault);
            } finally {
                sluice.close();
            }
        }
    }

    private void run(String label, SluiceServer sluice, ChaosProxy proxy, String uri, Fault fault) throws Exception {
        System.out.println("== " + label);
        List<String> problems = new ArrayList<>();
        BenchLoad load = new BenchLoad(uri, CLIENT_OPTIONS, 4, threads);
        long recoveryMs = -1;
        int stuck;
        try {
            Thread.sleep(warmupMs);
            long failuresBefore = load.failures();
            fault.inject();
            Thread.sleep(faultMs);
            if (load.failures() == failuresBefore) {
                problems.add("the fault caused no error");
            }
            fault.remove();
            long removed = System.nanoTime();
            if (waitFor(() -> load.everyThreadSucceededSince(removed), 60_000)) {
                recoveryMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - removed);
            } else {
                problems.add("not every thread succeeded within 60 s of removing the fault");
            }
            Thread.sleep(warmupMs);
            stuck = load.stop(OPERATION_BOUND_MS);
        } finally {
            load.close();
        }
        Map<String, Long> outcomes = load.outcomes();
        if (stuck > 0) {
            problems.add(stuck + " threads hung");
        }
        if (load.longestMillis() >= OPERATION_BOUND_MS) {
            problems.add("an operation took " + load.longestMillis() + " ms");
        }
        outcomes.keySet().stream().filter(k -> k.startsWith("UNEXPECTED")).forEach(k -> problems.add(k));
        boolean settled = waitFor(() -> {
            HostPoolStats s = sluice.cluster().statistics().get(0);
            return s.inUse() == 0 && s.available() + s.inUse() + s.refreshing() == proxy.connections()
                    && sluice.registry().snapshot().stream().noneMatch(e -> e.appName() != null
                    && e.appName().startsWith("load-"));
        }, 30_000);
        HostPoolStats s = sluice.cluster().statistics().get(0);
        String leaks = "inUse " + s.inUse() + ", pool " + (s.available() + s.inUse() + s.refreshing())
                + " vs proxied sockets " + proxy.connections() + (settled ? "" : " LEAK");
        if (!settled) {
            problems.add("leak: " + leaks);
        }
        StringBuilder errors = new StringBuilder();
        outcomes.forEach((k, v) -> {
            if (!k.equals("ok")) {
                errors.append(errors.length() == 0 ? "" : "; ").append(k).append(" x").append(v);
            }
        });
        String row = "| " + label + " | " + outcomes.getOrDefault("ok", 0L) + " | " + errors + " | " + recoveryMs
                + " | " + load.longestMillis() + " | " + stuck + " | " + leaks + " |";
        rows.add(row);
        System.out.println(row);
        load.samples().forEach((k, v) -> System.out.println("   " + k + ": " + v));
        if (!problems.isEmpty()) {
            allPassed = false;
            System.out.println("   PROBLEMS: " + problems);
        }
    }

    private static boolean waitFor(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    /** Kills three random connections of the load every 100 ms. */
    private static final class Killer {
        private final MongoClient admin;
        private volatile boolean running;
        private Thread thread;

        Killer(MongoClient admin) {
            this.admin = admin;
        }

        void start() {
            running = true;
            thread = new Thread(() -> {
                while (running) {
                    try {
                        Document list = admin.getDatabase("admin").runCommand(new Document("listConnections", 1));
                        BsonArray ids = new BsonArray();
                        for (Document row : list.get("cursor", Document.class).getList("firstBatch", Document.class)) {
                            String app = row.getString("appName");
                            if (app != null && app.startsWith("load-") && ids.size() < 3
                                    && ThreadLocalRandom.current().nextInt(4) == 0) {
                                ids.add(new BsonString(row.getString("connectionId")));
                            }
                        }
                        if (!ids.isEmpty()) {
                            admin.getDatabase("admin").runCommand(new Document("killConnections", ids));
                        }
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        // the killer's own failures do not matter
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
}
