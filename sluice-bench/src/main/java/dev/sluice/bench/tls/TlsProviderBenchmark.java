package dev.sluice.bench.tls;

import io.netty.handler.ssl.SslProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The TLS provider for Sluice: Netty's JDK {@code SSLEngine} against BoringSSL (netty-tcnative,
 * {@code SslProvider.OPENSSL}), in memory (engine pairs, no sockets), same certificate (RSA 2048 from
 * {@code TestCertificates}), same protocol and AES-128-GCM suite on both. Both ends use the provider
 * under test, as Sluice would for its listener and its upstream connections.
 * See BENCHMARKS.md, "TLS provider: JDK vs BoringSSL"; run with {@code sluice-bench/scripts/tls-bench.sh}.
 */
public class TlsProviderBenchmark {

    /**
     * Full handshakes: every pair names a new peer port, so the client finds no session to resume (the
     * caches hold far fewer than the 60,000 ports cycled through).
     */
    @State(Scope.Thread)
    public static class HandshakeState {
        @Param({"JDK", "OPENSSL"})
        public String provider;
        @Param({"TLSv1.3", "TLSv1.2"})
        public String protocol;
        TlsContexts contexts;
        int port;

        int nextPort() {
            port = port >= 65_000 ? 5_000 : port + 1;
            return port;
        }

        @Setup(Level.Trial)
        public void setUp() throws SSLException {
            contexts = TlsContexts.create(SslProvider.valueOf(provider), protocol);
            try (EnginePair pair = new EnginePair(contexts.client(), contexts.server(), 0, nextPort())) {
                pair.handshake();
                expect(pair.client().getSession(), protocol);
                expect(pair.server().getSession(), protocol);
            }
        }
    }

    /** One established pair; the client sends {@code size} bytes of application data, the server reads them. */
    @State(Scope.Thread)
    public static class BulkState {
        @Param({"JDK", "OPENSSL"})
        public String provider;
        @Param({"TLSv1.3"})
        public String protocol;
        @Param({"1024", "65536"})
        public int size;
        EnginePair pair;
        ByteBuffer payload;

        @Setup(Level.Trial)
        public void setUp() throws SSLException {
            TlsContexts contexts = TlsContexts.create(SslProvider.valueOf(provider), protocol);
            pair = new EnginePair(contexts.client(), contexts.server(), size, 27017);
            pair.handshake();
            expect(pair.client().getSession(), protocol);
            byte[] bytes = new byte[size];
            ThreadLocalRandom.current().nextBytes(bytes);
            payload = ByteBuffer.allocateDirect(size);
            payload.put(bytes).flip();
            int read = pair.clientToServer(payload.duplicate());
            if (read != size) {
                throw new IllegalStateException("the server read " + read + " bytes of " + size);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            pair.close();
        }
    }

    private static void expect(SSLSession session, String protocol) {
        String cipher = TlsContexts.cipherFor(protocol);
        if (!protocol.equals(session.getProtocol()) || !cipher.equals(session.getCipherSuite())) {
            throw new IllegalStateException("negotiated " + session.getProtocol() + " " + session.getCipherSuite()
                    + ", expected " + protocol + " " + cipher);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public boolean handshake(HandshakeState s) throws SSLException {
        try (EnginePair pair = new EnginePair(s.contexts.client(), s.contexts.server(), 0, s.nextPort())) {
            pair.handshake();
            return pair.server().getSession().isValid();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int wrapUnwrap(BulkState s) throws SSLException {
        return s.pair.clientToServer(s.payload.duplicate());
    }
}
