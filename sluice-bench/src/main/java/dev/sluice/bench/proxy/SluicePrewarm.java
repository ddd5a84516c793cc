package dev.sluice.bench.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Warms a Sluice the way its earlier clients would have in production, without touching the MongoDB driver of
 * this JVM (whose warmth would favour both paths of a cold-start comparison alike): {@code connections} short
 * connections over raw sockets, each a hello with a driver's client metadata, {@code findsEach} finds, and a close.
 * Sluice's handshake, forwarding and teardown paths get compiled; the driver's code stays as cold as before.
 */
final class SluicePrewarm {
    private static final int THREADS = 4;

    private SluicePrewarm() {
    }

    /** {@code connections} clients, {@value #THREADS} at a time. */
    static void run(InetSocketAddress sluice, int connections, int findsEach) throws IOException {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<IOException> failure = new AtomicReference<>();
        long start = System.nanoTime();
        Thread[] threads = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            threads[t] = new Thread(() -> {
                try {
                    clients(sluice, next, connections, findsEach, start);
                } catch (IOException e) {
                    failure.compareAndSet(null, e);
                }
            }, "sluice-prewarm-" + t);
            threads[t].start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("pre-warm interrupted", e);
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private static void clients(InetSocketAddress sluice, AtomicInteger next,
                                int connections, int findsEach, long start) throws IOException {
        byte[] hello = WireFrames.hello("cold-start-prewarm");
        byte[] find = WireFrames.find();
        for (int c = next.getAndIncrement(); c < connections; c = next.getAndIncrement()) {
            try (Socket socket = BlockingWire.connect(sluice)) {
                BlockingWire wire = new BlockingWire(socket, sluice);
                if (!WireFrames.isOk(wire.reply(), wire.roundTrip(hello))) {
                    throw new IOException("pre-warm: a hello to Sluice failed");
                }
                for (int i = 0; i < findsEach; i++) {
                    if (!WireFrames.isOk(wire.reply(), wire.roundTrip(find))) {
                        throw new IOException("pre-warm: a find through Sluice failed");
                    }
                }
            }
            if ((c + 1) % 1000 == 0 || c + 1 == connections) {
                System.out.printf(Locale.ROOT, "[bench] pre-warming Sluice: %d of %d connections (%.1f s)%n", c + 1,
                        connections, (System.nanoTime() - start) / 1e9);
            }
        }
    }
}
