package dev.sluice.bench.proxy;

import javax.net.ssl.SSLContext;
import java.util.List;
import java.util.function.Supplier;

/**
 * One cold-start set-up: the URI a new client uses directly (to the cluster behind {@link DelayRelay}) and through
 * Sluice, and, when the cluster and Sluice speak TLS, a fresh driver {@link SSLContext} per client (a new process has
 * no TLS session to resume), and {@code admin}, a URI of Sluice for an operator (its pool figures), and the child processes whose CPU time is counted. Closing it stops what it started, last started first.
 */
record ColdStartFixture(String mode, String direct, String through, Supplier<SSLContext> tls, String admin,
                        java.util.Map<String, Long> processes, List<AutoCloseable> started) implements AutoCloseable {

    boolean secured() {
        return tls != null;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
