package dev.sluice.server.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where HAProxy is installed, if it is, and the shipped configuration pointed at Sluices on loopback. */
final class Haproxy {
    private Haproxy() {
    }

    /** The haproxy binary on PATH or in /usr/sbin, or null. */
    static Path binary() {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin" + File.pathSeparator
                + "/usr/local/sbin";
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, "haproxy");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** One Sluice behind the balancer: the port HAProxy sends clients to, and the HTTP port it checks. */
    record Backend(int port, int checkPort) {
    }

    /**
     * deploy/haproxy/haproxy.cfg with its frontend on {@code front} and one server line per backend, everything
     * else as shipped except what a test on this machine needs: a lower maxconn (the open-file limit, without
     * root), faster checks, and no logging.
     */
    static String config(int front, List<Backend> backends) throws IOException {
        String shipped = Files.readString(RepositoryFiles.root().resolve("deploy/haproxy/haproxy.cfg"));
        List<String> out = new ArrayList<>();
        boolean serversWritten = false;
        for (String line : shipped.split("\n", -1)) {
            String t = line.trim();
            if (t.startsWith("bind ")) {
                out.add("    bind 127.0.0.1:" + front);
            } else if (t.startsWith("server ")) {
                if (!serversWritten) {
                    for (int i = 0; i < backends.size(); i++) {
                        Backend b = backends.get(i);
                        out.add("    server sluice" + i + " 127.0.0.1:" + b.port() + " check port " + b.checkPort());
                    }
                    serversWritten = true;
                }
            } else if (t.startsWith("maxconn ")) {
                out.add("    maxconn 1000");
            } else if (t.startsWith("default-server ")) {
                out.add("    default-server inter 200ms fall 1 rise 2");
            } else if (!t.startsWith("log ")) {
                out.add(line);
            }
        }
        if (!serversWritten) {
            throw new IllegalStateException("deploy/haproxy/haproxy.cfg has no server line");
        }
        return String.join("\n", out) + "\n";
    }
}
