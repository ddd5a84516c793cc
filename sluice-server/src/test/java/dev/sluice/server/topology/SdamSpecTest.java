package dev.sluice.server.topology;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The SDAM unit tests of the MongoDB specifications (server-discovery-and-monitoring/{single,rs,sharded,
 * load-balanced,errors,monitoring}/*.json), one dynamic test per file running all its phases, read from
 * {@code sluice.spec.dir} at test time (the data is not in this repository). A folder missing from the data is
 * reported as one skipped test.
 */
class SdamSpecTest {

    private static final List<String> FOLDERS = List.of("single", "rs", "sharded", "load-balanced", "errors",
            "monitoring");

    @TestFactory
    Stream<DynamicTest> serverDiscoveryAndMonitoring() throws IOException {
        Path root = SpecDirectory.resolve().resolve("server-discovery-and-monitoring");
        if (!Files.isDirectory(root)) {
            String why = "SDAM spec tests not found at " + root + " (set -Dsluice.spec.dir to the spec checkout)";
            return Stream.of(DynamicTest.dynamicTest("spec data absent", () -> Assumptions.abort(why)));
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (String folder : FOLDERS) {
            Path dir = root.resolve(folder);
            if (!Files.isDirectory(dir)) {
                tests.add(DynamicTest.dynamicTest(folder + ": folder absent", () -> Assumptions.abort(
                        "no " + folder + " folder in the spec data at " + root)));
                continue;
            }
            List<Path> files;
            try (Stream<Path> listing = Files.list(dir)) {
                files = listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            }
            for (Path file : files) {
                BsonDocument test = BsonDocument.parse(Files.readString(file));
                String name = folder + "/" + file.getFileName() + ": " + test.getString("description").getValue();
                tests.add(DynamicTest.dynamicTest(name, file.toUri(), () -> new SdamRunner(test).run()));
            }
        }
        return tests.stream();
    }
}
