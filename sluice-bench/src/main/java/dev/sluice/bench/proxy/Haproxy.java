package dev.sluice.bench.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * HAProxy as a peer of the proxy benchmark: the system's {@code haproxy} (Debian package), TCP mode, one
 * frontend on a free loopback port and one backend server (the fake mongod), started in the foreground
 * ({@code -db}) with a generated configuration. Like the relay, it opens one upstream connection per client
 * (a TCP proxy cannot multiplex MongoDB requests); its thread count is HAProxy's default, one per CPU.
 */
final class Haproxy {
    private static final long READY_TIMEOUT_MILLIS = 20_000;

    private Haproxy() {
    }

    /** The haproxy binary on the PATH (or /usr/sbin, Debian's place, often not on a user's PATH), or null. */
    static Path binary() {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "haproxy"))) {
                return Path.of(dir, "haproxy");
            }
        }
        return null;
    }

    /** Starts HAProxy in front of {@code upstream}; ready once its port accepts connections. */
    static Started start(InetSocketAddress upstream, Path logs) throws IOException, InterruptedException {
        Path binary = binary();
        if (binary == null) {
            throw new IOException("haproxy is not installed (Debian: apt-get install -y haproxy); "
                    + "or leave it out of --targets");
        }
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Files.createDirectories(logs);
        Path config = logs.resolve("haproxy.cfg");
        Files.writeString(config, String.join("\n", List.of(
                "global",
                "    maxconn 4000", // two descriptors per connection: within a 20,000-descriptor limit
                "defaults",
                "    mode tcp",
                "    timeout connect 5s",
                "    timeout client 120s",
                "    timeout server 120s",
                "frontend mongodb",
                "    bind 127.0.0.1:" + port,
                "    default_backend fake_mongod",
                "backend fake_mongod",
                "    server mongod " + upstream.getHostString() + ":" + upstream.getPort(),
                "")));
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        ChildProcess process = ChildProcess.startListening("haproxy", List.of(binary.toString(), "-db", "-f",
                config.toString()), logs.resolve("haproxy.log"), address, READY_TIMEOUT_MILLIS);
        return new Started(process, address);
    }

    /** A running HAProxy and the address it listens on. */
    record Started(ChildProcess process, InetSocketAddress address) implements AutoCloseable {
        @Override
        public void close() {
            process.close();
        }
    }
}
