package dev.sluice.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Soak test: runs Sluice's fat jar as a child process under a bounded mixed workload for a given
 * time, samples the process before, during and after, and reports whether anything grows without
 * bound (heap after GC, metaspace, RSS, threads, open files, registry size) and whether everything
 * is released once the load stops (registry back to the probe's own connection, no backend
 * connection in use).
 *
 * <pre>
 * ./mvnw -B -q -o package -pl sluice-server -am -DskipTests
 * ./mvnw -B -q -o compile -pl sluice-bench -am
 * sluice-bench/scripts/soak.sh --duration 10m
 * </pre>
 *
 * Options (defaults): {@code --duration 10m}, {@code --sample 30s}, {@code --threads 6},
 * {@code --pause-ms 10} (between iterations of each thread), {@code --kill-every 15} (seconds),
 * {@code --jar sluice-server/target/sluice-server-0.1.0-SNAPSHOT-all.jar}, {@code --upstream URI}
 * (default: the embedded backend), {@code --jvm "-XX:+UseSerialGC -Xss512k -Xmx256m"},
 * {@code --csv FILE}. Exit code 0 when nothing grew and everything was released, 1 otherwise.
 */
public final class Soak {
    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        Duration duration = duration(o.getOrDefault("duration", "10m"));
        Duration every = duration(o.getOrDefault("sample", "30s"));
        int threads = Integer.parseInt(o.getOrDefault("threads", "6"));
        long pauseMs = Long.parseLong(o.getOrDefault("pause-ms", "10"));
        long killEvery = Long.parseLong(o.getOrDefault("kill-every", "15"));
        Path jar = Path.of(o.getOrDefault("jar", "sluice-server/target/sluice-server-0.1.0-SNAPSHOT-all.jar"));
        List<String> jvm = List.of(o.getOrDefault("jvm", "-XX:+UseSerialGC -Xss512k -Xmx256m").split("\\s+"));
        Path csv = o.containsKey("csv") ? Path.of(o.get("csv")) : null;
        Path log = Files.createTempFile("sluice-soak-", ".log");

        System.out.printf("soak: %s, sample every %s, %d threads (pause %d ms), kill every %d s, jar %s%n",
                duration, every, threads, pauseMs, killEvery, jar);
        List<Sample> samples = new ArrayList<>();
        long start = System.nanoTime();
        int stuck;
        Map<String, Long> errors;
        try (SluiceProcess sluice = SluiceProcess.start(jar, jvm, o.get("upstream"), log)) {
            System.out.printf("sluice pid %d at %s %s (stderr in %s)%n", sluice.pid(), sluice.mongoUri(),
                    sluice.httpUri(), log);
            System.out.println(Sample.header());
            Sample before = sample(sluice, start, 0, 0);
            print(before, csv, true);
            SoakWorkload load = new SoakWorkload(sluice.mongoUri(), threads, pauseMs, killEvery);
            try {
                long end = start + duration.toNanos();
                while (System.nanoTime() < end) {
                    Thread.sleep(Math.min(every.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                    Sample s = sample(sluice, start, load.operations(), load.errorCount());
                    samples.add(s);
                    print(s, csv, false);
                }
                stuck = load.stop();
                errors = load.errors();
            } finally {
                load.close();
            }
            Thread.sleep(5_000); // let connections close and the pools settle
            Sample after = sample(sluice, start, load.operations(), load.errorCount());
            print(after, csv, false);
            System.out.println();
            boolean ok = report(before, samples, after, stuck, errors);
            System.exit(ok ? 0 : 1);
        }
    }

    private static Sample sample(SluiceProcess p, long start, long operations, long errors) {
        long heap = p.heapAfterGcKiB();
        long meta = p.metaspaceKiB();
        long registry = -1;
        long inUse = -1;
        long available = -1;
        long created = -1;
        try {
            registry = p.get("/api/connections").size();
            JsonNode pools = p.get("/api/pools");
            inUse = pools.path("totalInUse").asLong(-1);
            available = pools.path("totalAvailable").asLong(-1);
            created = pools.path("totalCreated").asLong(-1);
        } catch (IOException e) {
            System.out.println("  (HTTP probe failed: " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Sample((System.nanoTime() - start) / 1_000_000_000L, heap, meta, p.procStatus("VmRSS"),
                p.procStatus("Threads"), p.openFds(), registry, inUse, available, created, operations, errors);
    }

    private static void print(Sample s, Path csv, boolean first) throws IOException {
        System.out.println(s.row());
        if (csv != null) {
            if (first) {
                Files.writeString(csv, Sample.csvHeader() + "\n");
            }
            Files.writeString(csv, s.csv() + "\n", java.nio.file.StandardOpenOption.APPEND);
        }
    }

    /** Prints the verdict per metric; true when nothing grows and everything was released. */
    static boolean report(Sample before, List<Sample> during, Sample after, int stuck, Map<String, Long> errors) {
        boolean ok = true;
        System.out.println("growth during the load (median of the last third vs the first third; slope over the second half):");
        ok &= growth("heap after GC (KiB)", during, Sample::heapKiB, 4096);
        ok &= growth("metaspace (KiB)", during, Sample::metaspaceKiB, 2048);
        ok &= growth("RSS (KiB)", during, Sample::rssKiB, 32768);
        ok &= growth("threads", during, Sample::threads, 2);
        ok &= growth("open fds", during, Sample::fds, 8);
        ok &= growth("registry size", during, Sample::registry, 8);
        System.out.printf("before load: registry %d, threads %d, fds %d; after load: registry %d (the probe's own"
                        + " HTTP connection counts 1), backend inUse %d, available %d, threads %d, fds %d%n",
                before.registry(), before.threads(), before.fds(), after.registry(), after.poolInUse(),
                after.poolAvailable(), after.threads(), after.fds());
        if (after.registry() > 1 || after.poolInUse() != 0) {
            System.out.println("  NOT RELEASED: connections left after the load stopped");
            ok = false;
        }
        if (stuck > 0) {
            System.out.println("  STUCK: " + stuck + " workload threads still in an operation 30 s after stop");
            ok = false;
        }
        Sample last = during.isEmpty() ? after : during.get(during.size() - 1);
        System.out.printf("operations %d, errors %d: %s%n", last.operations(), last.errors(), errors);
        System.out.println(ok ? "VERDICT: no unbounded growth, everything released" : "VERDICT: see above");
        return ok;
    }

    /**
     * Compares the median of the last third of the samples with the median of the first third (the
     * first samples come after the warm-up). A metric "grows" when that difference passes its slack
     * and the least-squares slope over the second half still points up: medians keep one noisy sample
     * (a GC racing the probe, a burst of reconnections after a kill) from deciding.
     */
    private static boolean growth(String name, List<Sample> samples, ToLongFunction<Sample> metric, long slack) {
        if (samples.size() < 6) {
            System.out.printf("  %-22s too few samples%n", name);
            return true;
        }
        int third = samples.size() / 3;
        long early = median(samples.subList(0, third), metric);
        long late = median(samples.subList(samples.size() - third, samples.size()), metric);
        List<Sample> half = samples.subList(samples.size() / 2, samples.size());
        double n = half.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (Sample s : half) {
            double x = s.seconds();
            double y = metric.applyAsLong(s);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double slope = (n * sxy - sx * sy) / Math.max(1e-9, n * sxx - sx * sx);
        boolean grows = late - early > slack && slope > 0;
        System.out.printf("  %-22s median first third %d, last third %d (slack %d), slope %+.1f/h -> %s%n", name,
                early, late, slack, slope * 3600, grows ? "GROWS" : "flat");
        return !grows;
    }

    private static long median(List<Sample> samples, ToLongFunction<Sample> metric) {
        long[] values = samples.stream().mapToLong(metric).sorted().toArray();
        return values[values.length / 2];
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got: " + String.join(" ", args));
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }

    static Duration duration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        long n = Long.parseLong(t.replaceAll("[a-z]+$", ""));
        if (t.endsWith("ms")) {
            return Duration.ofMillis(n);
        }
        if (t.endsWith("h")) {
            return Duration.ofHours(n);
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(n);
        }
        return Duration.ofSeconds(n);
    }
}
