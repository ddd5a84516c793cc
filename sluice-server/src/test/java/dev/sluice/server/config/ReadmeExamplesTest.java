package dev.sluice.server.config;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every Sluice configuration shown in the README and docs/ parses: the examples users copy are kept in
 * step with the settings (an unknown or misspelled key is an error naming it).
 */
class ReadmeExamplesTest {
    private static final Pattern YAML = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    @TestFactory
    List<DynamicTest> everyYamlExampleParses() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.exists(root.resolve("README.md")), "README.md not found beside the module");
        List<Path> documents = new ArrayList<>();
        documents.add(root.resolve("README.md"));
        try (var docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path document : documents) {
            Matcher m = YAML.matcher(Files.readString(document));
            int n = 0;
            while (m.find()) {
                String yaml = m.group(1);
                if (yaml.contains("apiVersion:") || yaml.stripLeading().startsWith("- ")) {
                    continue; // a Kubernetes manifest or a Prometheus rule, not a Sluice configuration
                }
                n++;
                String name = root.relativize(document) + " example " + n;
                tests.add(DynamicTest.dynamicTest(name, () -> ConfigFile.parse(yaml, name)));
            }
        }
        return tests;
    }
}
