package dev.sluice.bench.proxy;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.event.CommandSucceededEvent;
import com.mongodb.event.ConnectionCreatedEvent;
import com.mongodb.event.ConnectionPoolListener;
import com.mongodb.event.ConnectionReadyEvent;
import com.mongodb.event.ServerDescriptionChangedEvent;
import com.mongodb.event.ServerListener;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a cold start's time goes, from the driver's own events, milliseconds after {@code MongoClients.create}:
 * the pooled connection created (the driver is up and its monitor has found the server), ready (TCP, TLS, hello,
 * SCRAM done), the find sent and its reply; then, outside the cold start, how long a second find on the same
 * connection takes (what a command costs once the connection's first one is done).
 */
final class ColdStartPhases {
    static final String[] NAMES = {"connection created", "connection ready", "find sent", "find answered",
            "a second find's own time", "server described (monitor's hello)", "client created"};

    private ColdStartPhases() {
    }

    /** One cold start of {@code uri}; the times of {@link #NAMES}, NaN for what did not happen. */
    static double[] once(ColdStartFixture f, String uri) {
        double[] at = new double[NAMES.length];
        java.util.Arrays.fill(at, Double.NaN);
        long[] t0 = new long[1];
        MongoClientSettings settings = MongoClientSettings.builder(ColdStartBenchmark.settings(f, uri))
                .applyToConnectionPoolSettings(p -> p.addConnectionPoolListener(new ConnectionPoolListener() {
                    @Override
                    public void connectionCreated(ConnectionCreatedEvent e) {
                        mark(at, 0, t0[0]);
                    }

                    @Override
                    public void connectionReady(ConnectionReadyEvent e) {
                        mark(at, 1, t0[0]);
                    }
                }))
                .applyToServerSettings(s -> s.addServerListener(new ServerListener() {
                    @Override
                    public void serverDescriptionChanged(ServerDescriptionChangedEvent e) {
                        if (e.getNewDescription().isOk()) {
                            mark(at, 5, t0[0]);
                        }
                    }
                }))
                .addCommandListener(new CommandListener() {
                    @Override
                    public void commandStarted(CommandStartedEvent e) {
                        if (e.getCommandName().equals("find")) {
                            mark(at, 2, t0[0]);
                        }
                    }

                    @Override
                    public void commandSucceeded(CommandSucceededEvent e) {
                        if (e.getCommandName().equals("find")) {
                            mark(at, 3, t0[0]);
                        }
                    }
                }).build();
        t0[0] = System.nanoTime();
        try (MongoClient client = MongoClients.create(settings)) {
            mark(at, 6, t0[0]);
            client.getDatabase("bench").getCollection("items").find().first();
            long t1 = System.nanoTime();
            client.getDatabase("bench").getCollection("items").find().first();
            at[4] = (System.nanoTime() - t1) / 1e6;
        }
        return at;
    }

    /**
     * The phases alone, for either fixture: {@code java -cp sluice-bench/target/benchmarks.jar
     * dev.sluice.bench.proxy.ColdStartPhases SLUICE_JAR plain|secure RTT_MS N WARMUP [PREWARM_SLUICE]}.
     */
    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        double rtt = Double.parseDouble(args[2]);
        int n = Integer.parseInt(args[3]);
        Path logs = Path.of("target/bench-logs");
        java.nio.file.Files.createDirectories(logs);
        try (ColdStartFixture f = args[1].equals("plain") ? PlainColdStart.start(jar, rtt, logs)
                : SecuredColdStart.start(jar, rtt, logs)) {
            ColdStartBenchmark.prewarmSluice(f, args.length > 5 ? Integer.parseInt(args[5]) : 0);
            for (int i = 0; i < Integer.parseInt(args[4]); i++) {
                once(f, f.through());
                once(f, f.direct());
            }
            System.out.print(interleaved(f, n, args[1] + ": ", rtt));
        }
    }

    /** {@code n} cold starts per path, interleaved, and the p50 of each phase as a Markdown table. */
    static String interleaved(ColdStartFixture f, int n, String label, double rtt) {
        List<double[]> through = new ArrayList<>();
        List<double[]> direct = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            through.add(once(f, f.through()));
            direct.add(once(f, f.direct()));
        }
        return "== " + label + "p50 ms after MongoClients.create, " + n + " interleaved samples per path, cluster "
                + rtt + " ms away\n| path | " + String.join(" | ", NAMES) + " |\n|---|"
                + "---:|".repeat(NAMES.length) + "\n" + p50s("through Sluice", through) + p50s("direct", direct);
    }

    private static synchronized void mark(double[] at, int i, long t0) {
        if (Double.isNaN(at[i])) {
            at[i] = (System.nanoTime() - t0) / 1e6;
        }
    }

    /** p50 of each phase over {@code samples}. */
    static String p50s(String label, List<double[]> samples) {
        StringBuilder b = new StringBuilder("| " + label);
        for (int i = 0; i < NAMES.length; i++) {
            List<Double> v = new ArrayList<>();
            for (double[] s : samples) {
                if (!Double.isNaN(s[i])) {
                    v.add(s[i]);
                }
            }
            b.append(v.isEmpty() ? " | -" : String.format(Locale.ROOT, " | %.1f", ColdStartBenchmark.pct(v, 50)));
        }
        return b.append(" |\n").toString();
    }
}
