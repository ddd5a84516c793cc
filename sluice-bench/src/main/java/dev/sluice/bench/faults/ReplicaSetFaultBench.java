package dev.sluice.bench.faults;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.config.SluiceConfig;
import dev.sluice.server.testing.SimulatedMember;
import dev.sluice.server.testing.SimulatedReplicaSet;
import org.bson.Document;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Elections and restarts of a replica set under load, through Sluice: a {@link SimulatedReplicaSet} of 3 behind an
 * in-process Sluice (upstream the set's URI, heartbeatFrequencyMS 500, serverSelectionTimeoutMS 30000), the real
 * Java driver (retryWrites=true) as the load ({@link LedgerLoad}). Scenarios:
 * <ul>
 *   <li>{@code election}: the primary steps down, the set has no primary for {@code --outage-seconds}, then
 *       another member is elected;</li>
 *   <li>{@code restart}: the primary's process stops (port closed, connections reset); after
 *       {@code --outage-seconds} another member is elected; one second later the old primary starts again (a new
 *       processId) and rejoins as a secondary;</li>
 *   <li>{@code shutdown}: as restart, but the primary steps down 0.5 s before its process stops (mongod's
 *       {@code shutdown} steps down first), so no write is in flight on it when it stops.</li>
 * </ul>
 * For each it prints the clients' outcomes by kind, the longest operation and the longest gap between two
 * acknowledged writes against the no-primary window, writes lost (acknowledged, missing) and duplicated, and
 * throughput before and after. Exit code 1 when a client saw an error, a write was lost or duplicated, or the
 * longest operation exceeded the outage by more than {@code --slack-seconds}.
 *
 * <pre>
 * sluice-bench/scripts/rs-faults.sh [--threads 8] [--outage-seconds 3] [--warmup-seconds 15] [--after-seconds 20]
 *     [--slack-seconds 3] [--retry-reads true] [--scenarios election,restart,shutdown]
 * </pre>
 */
public final class ReplicaSetFaultBench {
    private static final String UPSTREAM_OPTIONS =
            "&heartbeatFrequencyMS=500&serverSelectionTimeoutMS=30000&connectTimeoutMS=1000";
    private static final String CLIENT_OPTIONS =
            "retryWrites=true&serverSelectionTimeoutMS=30000&socketTimeoutMS=40000&maxPoolSize=10";

    /** The clients' options: {@link #CLIENT_OPTIONS}, and retryReads as given (the driver's default true). */
    private final String clientOptions;

    private final int threads;
    private final long outageMs;
    private final long warmupMs;
    private final long afterMs;
    private final long slackMs;
    private final List<String> rows = new ArrayList<>();
    private boolean allPassed = true;

    private ReplicaSetFaultBench(Map<String, String> o) {
        threads = Integer.parseInt(o.getOrDefault("threads", "8"));
        outageMs = (long) (1000 * Double.parseDouble(o.getOrDefault("outage-seconds", "3")));
        warmupMs = 1000L * Long.parseLong(o.getOrDefault("warmup-seconds", "15"));
        afterMs = 1000L * Long.parseLong(o.getOrDefault("after-seconds", "20"));
        slackMs = 1000L * Long.parseLong(o.getOrDefault("slack-seconds", "3"));
        clientOptions = CLIENT_OPTIONS + "&retryReads=" + Boolean.parseBoolean(o.getOrDefault("retry-reads", "true"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        ReplicaSetFaultBench bench = new ReplicaSetFaultBench(o);
        for (String s : o.getOrDefault("scenarios", "election,restart").split(",")) {
            bench.scenario(s.trim());
        }
        System.out.println();
        System.out.println("| scenario | ok ops | errors seen by clients | no-primary window (ms) | longest op (ms) "
                + "| longest gap between acknowledged writes (ms) | writes acknowledged | lost | duplicated "
                + "| reads missing an acknowledged write | ops/s before -> after | hung |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        bench.rows.forEach(System.out::println);
        System.exit(bench.allPassed ? 0 : 1);
    }

    private void scenario(String name) throws Exception {
        if (!List.of("election", "restart", "shutdown").contains(name)) {
            throw new IllegalArgumentException("unknown scenario " + name + " (election, restart, shutdown)");
        }
        try (SimulatedReplicaSet rs = SimulatedReplicaSet.start(3)) {
            SluiceServer sluice = new SluiceServer(SluiceConfig.merge(ConfigFile.EMPTY, "127.0.0.1:0", null,
                    rs.uri() + UPSTREAM_OPTIONS), Clock.systemUTC()).start();
            try {
                run(name, rs, sluice);
            } finally {
                sluice.close();
            }
        }
    }

    private void run(String name, SimulatedReplicaSet rs, SluiceServer sluice) throws Exception {
        String uri = "mongodb://127.0.0.1:" + sluice.mongoAddress().getPort() + "/";
        SimulatedMember oldPrimary = rs.primary().orElseThrow();
        SimulatedMember next = rs.secondaries().get(0);
        String label = switch (name) {
            case "election" -> "election: primary steps down, no primary for " + outageMs + " ms, another member elected";
            case "restart" -> "restart: primary stopped, another member elected after " + outageMs
                    + " ms, old primary restarted 1 s later (secondary)";
            default -> "shutdown: primary steps down, stopped 0.5 s later, another member elected after " + outageMs
                    + " ms, old primary restarted 1 s later (secondary)";
        };
        System.out.println("== " + label + " (clients: " + clientOptions + ")");
        LedgerLoad load = new LedgerLoad(uri, clientOptions, 4, threads);
        AtomicInteger maxWaiting = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                maxWaiting.accumulateAndGet(sluice.cluster().waitingForServer(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "waiting-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long windowMs;
        double faultAt;
        double recoveredAt;
        int stuck;
        try {
            Thread.sleep(warmupMs);
            faultAt = load.elapsedSeconds();
            long t0 = System.nanoTime();
            if (name.equals("election")) {
                rs.stepDown(oldPrimary);
                Thread.sleep(outageMs);
                rs.elect(next);
                windowMs = (System.nanoTime() - t0) / 1_000_000;
            } else {
                if (name.equals("shutdown")) {
                    rs.stepDown(oldPrimary);
                    Thread.sleep(500);
                }
                rs.stop(oldPrimary);
                Thread.sleep(name.equals("shutdown") ? outageMs - 500 : outageMs);
                rs.elect(next);
                windowMs = (System.nanoTime() - t0) / 1_000_000;
                Thread.sleep(1000);
                rs.start(oldPrimary);
            }
            recoveredAt = load.elapsedSeconds();
            Thread.sleep(afterMs);
            stuck = load.stop(40_000);
        } finally {
            sampling.set(false);
            load.close();
        }
        Ledger ledger = check(rs, load);
        Map<String, Long> outcomes = load.outcomes();
        StringBuilder errors = new StringBuilder();
        outcomes.forEach((k, v) -> {
            if (!k.equals("ok")) {
                errors.append(errors.length() == 0 ? "" : "; ").append(k).append(" x").append(v);
            }
        });
        // throughput: the 10 s before the fault; after: from 2 s after recovery to the end (whole seconds)
        int before0 = (int) Math.max(0, Math.floor(faultAt) - 10);
        double before = load.throughput(before0, (int) Math.floor(faultAt));
        int after0 = (int) Math.ceil(recoveredAt) + 2;
        double after = load.throughput(after0, (int) Math.floor(recoveredAt + afterMs / 1000.0));
        String row = "| " + label + " | " + outcomes.getOrDefault("ok", 0L) + " | "
                + (errors.length() == 0 ? "none" : errors) + " | " + windowMs + " | " + load.longestMillis()
                + " | " + load.longestWriteGapMillis() + " | " + ledger.acknowledged + " | " + ledger.lost + " | "
                + ledger.duplicated + " | " + load.readsMissing() + " | " + Math.round(before) + " -> "
                + Math.round(after) + " | " + stuck + " |";
        rows.add(row);
        System.out.println(row);
        System.out.println("   members: " + rs.members() + "; retryable writes answered from history: "
                + rs.retriedWrites() + "; most operations waiting in Sluice for a server at once: " + maxWaiting.get());
        System.out.println("   counters: " + ledger.counters);
        System.out.printf("   fault at %.2f s, recovered at %.2f s; longest operation: %s%n", faultAt, recoveredAt,
                load.longestDescription());
        load.samples().forEach((k, v) -> System.out.println("   " + k + ": " + v));
        List<String> problems = new ArrayList<>();
        if (errors.length() > 0) {
            problems.add("errors reached the clients");
        }
        if (ledger.lost > 0 || ledger.duplicated > 0 || load.readsMissing() > 0) {
            problems.add("lost " + ledger.lost + ", duplicated " + ledger.duplicated + ", reads missing "
                    + load.readsMissing());
        }
        if (load.longestMillis() > windowMs + slackMs) {
            problems.add("longest operation " + load.longestMillis() + " ms > no-primary window " + windowMs
                    + " ms + " + slackMs + " ms");
        }
        if (stuck > 0) {
            problems.add(stuck + " threads hung");
        }
        if (!problems.isEmpty()) {
            allPassed = false;
            System.out.println("   PROBLEMS: " + problems);
        }
    }

    /** What the set holds against what the clients were told. */
    private record Ledger(long acknowledged, long lost, long duplicated, String counters) {
    }

    /** Reads the set directly (not through Sluice): every acknowledged id present, each counter within its bounds. */
    private static Ledger check(SimulatedReplicaSet rs, LedgerLoad load) {
        try (MongoClient direct = MongoClients.create(rs.uri() + "&serverSelectionTimeoutMS=10000")) {
            MongoCollection<Document> items = direct.getDatabase(LedgerLoad.DB).getCollection(LedgerLoad.ITEMS);
            Set<String> present = new HashSet<>();
            long documents = 0;
            for (Document d : items.find().projection(new Document("_id", 1))) {
                present.add(d.getString("_id"));
                documents++;
            }
            Set<String> acknowledged = load.acknowledgedIds();
            long lost = acknowledged.stream().filter(id -> !present.contains(id)).count();
            // ids are unique by construction: a second copy of one would show as more documents than distinct ids,
            // a second application of an insert as a duplicate-key error at the client
            long duplicated = (documents - present.size()) + load.duplicateKeyErrors();
            StringBuilder counters = new StringBuilder();
            MongoCollection<Document> counterDocs = direct.getDatabase(LedgerLoad.DB).getCollection(LedgerLoad.COUNTERS);
            for (int t = 0; t < load.threadCount(); t++) {
                Document d = counterDocs.find(new Document("_id", "t" + t)).first();
                long n = d == null ? 0 : ((Number) d.get("n")).longValue();
                long ack = load.incAcknowledged(t);
                long failed = load.incFailed(t);
                if (n < ack) {
                    lost += ack - n;
                }
                if (n > ack + failed) {
                    duplicated += n - ack - failed;
                }
                counters.append(t == 0 ? "" : ", ").append("t").append(t).append(" n=").append(n).append(" (acked ")
                        .append(ack).append(failed > 0 ? ", failed " + failed : "").append(")");
            }
            long totalAck = acknowledged.size();
            for (int t = 0; t < load.threadCount(); t++) {
                totalAck += load.incAcknowledged(t);
            }
            return new Ledger(totalAck, lost, duplicated, counters.toString());
        }
    }
}
