package dev.sluice.bench.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;

/**
 * Warms a Sluice the way its earlier clients would have in production, without touching the MongoDB driver of
 * this JVM (whose warmth would favour both paths of a cold-start comparison alike): {@code connections} short
 * connections over raw sockets, each a hello with a driver's client metadata, {@code findsEach} finds, and a close.
 * Sluice's handshake, forwarding and teardown paths get compiled; the driver's code stays as cold as before.
 */
final class SluicePrewarm {
    private SluicePrewarm() {
    }

    /** {@code connections} clients, {@value #THREADS} at a time. */
    static void run(InetSocketAddress sluice, int connections, int findsEach) throws IOException {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<IOException> failure = new java.util.concurrent.atomic.AtomicReference<>();
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

    private static final int THREADS = 4;

    private static void clients(InetSocketAddress sluice, java.util.concurrent.atomic.AtomicInteger next,
                                int connections, int findsEach, long start) throws IOException {
        byte[] hello = WireFrames.hello("cold-start-prewarm");
        byte[] find = WireFrames.find();
        byte[] buffer = new byte[64 * 1024];
        int id = 0;
        for (int c = next.getAndIncrement(); c < connections; c = next.getAndIncrement()) {
            try (Socket socket = new Socket()) {
                socket.setTcpNoDelay(true);
                socket.connect(sluice, 10_000);
                socket.setSoTimeout(30_000);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                buffer = roundTrip(in, out, hello, ++id, buffer);
                for (int i = 0; i < findsEach; i++) {
                    buffer = roundTrip(in, out, find, ++id, buffer);
                    if (!WireFrames.isOk(buffer, WireFrames.intLE(buffer, 0))) {
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

    private static byte[] roundTrip(InputStream in, OutputStream out, byte[] frame, int id, byte[] buffer)
            throws IOException {
        WireFrames.setRequestId(frame, id);
        out.write(frame);
        int have = 0;
        int length = Integer.MAX_VALUE;
        while (have < length) {
            int n = in.read(buffer, have, (length == Integer.MAX_VALUE ? buffer.length : length) - have);
            if (n < 0) {
                throw new EOFException("pre-warm: Sluice closed the connection");
            }
            have += n;
            if (length == Integer.MAX_VALUE && have >= 4) {
                length = WireFrames.intLE(buffer, 0);
                if (length > buffer.length) {
                    buffer = java.util.Arrays.copyOf(buffer, length);
                }
            }
        }
        return buffer;
    }
}
