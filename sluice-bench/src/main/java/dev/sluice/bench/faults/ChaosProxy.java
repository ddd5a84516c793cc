package dev.sluice.bench.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback between Sluice and its upstream that injects faults: it can die (listener
 * and every socket closed) and come back on the same port, delay everything the upstream sends, or
 * cut the upstream's every n-th read in half and close that connection (a drop mid-reply). Two
 * threads per proxied connection, blocking I/O: plenty for a pool of a few dozen connections.
 */
final class ChaosProxy implements AutoCloseable {
    private final InetSocketAddress upstream;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong upstreamReads = new AtomicLong();
    private volatile ServerSocket listener;
    private volatile int port;
    private volatile long delayMs;
    private volatile int dropEvery;

    ChaosProxy(InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        start();
    }

    int port() {
        return port;
    }

    /** Pairs of (Sluice-side, upstream-side) sockets open now. */
    int connections() {
        return sockets.size() / 2;
    }

    void delay(long ms) {
        delayMs = ms;
    }

    void dropEvery(int n) {
        dropEvery = n;
    }

    /** Listens again (on the same port after the first time). */
    synchronized void start() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        port = s.getLocalPort();
        listener = s;
        Thread accept = new Thread(() -> acceptLoop(s), "chaos-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** Dies: stops listening and closes every proxied connection. */
    synchronized void kill() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket server = new Socket();
                try {
                    server.connect(upstream, 2_000);
                } catch (IOException e) {
                    closeQuietly(client);
                    closeQuietly(server);
                    continue;
                }
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                pump(client, server, false);
                pump(server, client, true);
            } catch (IOException e) {
                return; // listener closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromUpstream) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    if (fromUpstream) {
                        long d = delayMs;
                        if (d > 0) {
                            Thread.sleep(d);
                        }
                        int every = dropEvery;
                        if (every > 0 && upstreamReads.incrementAndGet() % every == 0) {
                            out.write(buf, 0, Math.max(1, n / 2));
                            out.flush();
                            break;
                        }
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // either side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "chaos-pump");
        t.setDaemon(true);
        t.start();
    }

    private void closeQuietly(Socket s) {
        sockets.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        kill();
    }
}
