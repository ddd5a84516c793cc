package dev.sluice.server.deploy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where HAProxy is installed, if it is. */
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
}
