package dev.sluice.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns the JSON spec files of one folder into dynamic tests named "file: description", one per case. When the
 * folder is absent there is one test, reported as skipped, whose name and message say where it looked (an aborted
 * factory would not show up in the Surefire counts).
 */
final class SpecCases {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs one case. */
    interface CaseRunner {
        void run(JsonNode testCase) throws Exception;
    }

    private SpecCases() {
    }

    static Stream<DynamicTest> of(String folder, CaseRunner runner) throws IOException {
        return of(folder, Map.of(), runner);
    }

    /**
     * @param skips reasons by "file: description"; such a case is reported as skipped, the reason in its name
     */
    static Stream<DynamicTest> of(String folder, Map<String, String> skips, CaseRunner runner) throws IOException {
        Path dir = SpecDirectory.resolve().resolve(folder);
        if (!Files.isDirectory(dir)) {
            String reason = folder + " spec tests not found at " + dir
                    + " (set -Dsluice.spec.dir to the folder holding the MongoDB specification test data)";
            return Stream.of(DynamicTest.dynamicTest(folder + ": skipped, " + reason, () -> Assumptions.abort(reason)));
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files) {
            for (JsonNode testCase : JSON.readTree(file.toFile()).path("tests")) {
                String name = file.getFileName() + ": " + testCase.path("description").asText();
                String skip = skips.get(name);
                tests.add(skip == null ? DynamicTest.dynamicTest(name, file.toUri(), () -> runner.run(testCase))
                        : DynamicTest.dynamicTest(name + " [skipped: " + skip + "]", file.toUri(),
                                () -> Assumptions.abort(skip)));
            }
        }
        Assumptions.assumeFalse(tests.isEmpty(), "no test case in " + dir);
        return tests.stream();
    }
}
