package dev.sluice.server.topology;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the MongoDB specification test data: system property {@code sluice.spec.dir}, else {@code shared/spec}
 * beside the repository root (the directory holding {@code mvnw} and {@code sluice-pool}), found by walking up from
 * the working directory. The data is not part of this repository (its licence differs).
 */
final class SpecDirectory {

    private SpecDirectory() {
    }

    static Path resolve() {
        String configured = System.getProperty("sluice.spec.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("sluice-pool"))) {
                return dir.resolve("../shared/spec").normalize();
            }
        }
        return Path.of(System.getProperty("user.dir"), "../../shared/spec").toAbsolutePath().normalize();
    }
}
