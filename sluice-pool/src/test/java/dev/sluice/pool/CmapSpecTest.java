package dev.sluice.pool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The CMAP unit tests of the MongoDB specifications (connection-monitoring-and-pooling/cmap-format/*.json), one
 * dynamic test per file, read from {@code sluice.spec.dir} at test time (the data is not in this repository).
 * Integration tests run too, their fail point on hello played by the connection factory; one needs SDAM's reaction
 * to a handshake error and is skipped with that reason.
 */
class CmapSpecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> cmapFormat() throws IOException {
        Path dir = SpecDirectory.resolve().resolve("connection-monitoring-and-pooling/cmap-format");
        Assumptions.assumeTrue(Files.isDirectory(dir),
                "CMAP spec tests not found at " + dir + " (set -Dsluice.spec.dir to the spec checkout)");
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), file.toUri(),
                () -> run(file)));
    }

    private static void run(Path file) throws Exception {
        JsonNode test = JSON.readTree(file.toFile());
        // a fail point on hello is played by the connection factory (HelloFailPoint); one whose handshake error
        // must make the topology clear the pool needs SDAM above the pool, which the pool alone does not have
        Assumptions.assumeFalse(test.path("failPoint").path("data").has("errorCode"),
                "needs SDAM above the pool: a handshake error makes the topology clear the pool");
        new CmapRunner(test).run();
    }
}
