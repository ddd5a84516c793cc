package dev.sluice.bench.proxy;

import com.mongodb.ConnectionString;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * What a secured cold start is made of, measured on the client side with the same machine and fixture: the
 * SCRAM-SHA-256 salted password a new client computes once (PBKDF2-HMAC-SHA-256 at mongod's default 15,000
 * iterations; the driver caches it per client only, and a new client has none), a fresh SSLContext (a new process
 * has no other), and one TCP connect plus full TLS handshake to each path's address (the driver opens two: its
 * monitor's and its pooled connection).
 */
final class ColdStartBreakdown {
    private static final int SCRAM_SHA_256_ITERATIONS = 15_000;

    private ColdStartBreakdown() {
    }

    static String measure(ColdStartFixture f, double rttMs, int samples) {
        List<Double> pbkdf2 = times(samples, ColdStartBreakdown::pbkdf2);
        List<Double> context = times(samples, () -> {
            long t0 = System.nanoTime();
            f.tls().get();
            return (System.nanoTime() - t0) / 1e6;
        });
        List<Double> direct = new ArrayList<>();
        List<Double> through = new ArrayList<>();
        List<Double> directCpu = new ArrayList<>();
        List<Double> throughCpu = new ArrayList<>();
        for (int i = 0; i < samples; i++) { // interleaved
            double[] d = handshake(f, f.direct());
            double[] t = handshake(f, f.through());
            direct.add(d[0]);
            directCpu.add(d[1]);
            through.add(t[0]);
            throughCpu.add(t[1]);
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%nClient-side pieces, %s, cluster %.0f ms away, %d samples each "
                + "(outside the timed cold starts):%n%n| piece | p50 ms | p90 ms | mean ms |%n|---|---:|---:|---:|%n",
                f.mode(), rttMs, samples));
        line(b, "PBKDF2-HMAC-SHA-256, 15,000 iterations (SCRAM-SHA-256 salted password, once per new client)", pbkdf2);
        line(b, "a fresh SSLContext trusting the test CA", context);
        line(b, "TCP connect + TLS handshake, direct (through the relay)", direct);
        line(b, "TCP connect + TLS handshake, front Sluice", through);
        line(b, "the client's CPU in that handshake, direct (JDK TLS on the calling thread)", directCpu);
        line(b, "the client's CPU in that handshake, front Sluice", throughCpu);
        return b.toString();
    }

    private static List<Double> times(int n, DoubleSupplier one) {
        for (int i = 0; i < Math.max(20, n / 3); i++) {
            one.getAsDouble(); // warm-up
        }
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            v.add(one.getAsDouble());
        }
        return v;
    }

    private static double pbkdf2() {
        try {
            byte[] salt = new byte[28];
            long t0 = System.nanoTime();
            SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(new PBEKeySpec(
                    "cold-Start-app-1".toCharArray(), salt, SCRAM_SHA_256_ITERATIONS, 256)).getEncoded();
            return (System.nanoTime() - t0) / 1e6;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Connect and handshake with the fixture's SSLContext, as the driver's first connection to {@code uri}'s host:
     * {wall ms, this thread's CPU ms} (the JDK's SSLSocket handshakes on the calling thread).
     */
    private static double[] handshake(ColdStartFixture f, String uri) {
        String host = new ConnectionString(uri).getHosts().get(0);
        int colon = host.lastIndexOf(':');
        SSLContext context = f.tls().get();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(host.substring(0, colon),
                Integer.parseInt(host.substring(colon + 1)))) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return new double[] {(System.nanoTime() - t0) / 1e6, (threads.getCurrentThreadCpuTime() - c0) / 1e6};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void line(StringBuilder b, String name, List<Double> v) {
        b.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", name, ColdStartBenchmark.pct(v, 50),
                ColdStartBenchmark.pct(v, 90), ColdStartBenchmark.mean(v)));
    }
}
