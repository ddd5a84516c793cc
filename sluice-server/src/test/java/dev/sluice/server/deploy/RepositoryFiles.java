package dev.sluice.server.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository, found from wherever the test runs (the module's directory or the root). */
final class RepositoryFiles {
    private RepositoryFiles() {
    }

    /** The repository's root: the nearest directory up holding both {@code deploy/} and {@code sluice-server/}. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("deploy")) && Files.isDirectory(dir.resolve("sluice-server"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no repository root with deploy/ above " + Path.of("").toAbsolutePath());
    }
}
