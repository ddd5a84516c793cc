package dev.sluice.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the MongoDB specification test data: system property {@code sluice.spec.dir}, else {@code ../shared/spec}
 * beside the repository root (the directory whose pom.xml lists the sluice-pool module), found by walking up from
 * the working directory.
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
            if (isRepositoryRoot(dir)) {
                return dir.resolve("../shared/spec").normalize();
            }
        }
        return Path.of(System.getProperty("user.dir"), "../../shared/spec").toAbsolutePath().normalize();
    }

    private static boolean isRepositoryRoot(Path dir) {
        Path pom = dir.resolve("pom.xml");
        if (!Files.isRegularFile(pom)) {
            return false;
        }
        try {
            return Files.readString(pom).contains("<module>sluice-pool</module>");
        } catch (IOException e) {
            return false;
        }
    }
}
