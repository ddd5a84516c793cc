package dev.sluice.server.cli;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The fat jar as operators run it: ready line on stdout, clean stop on SIGTERM, clear config errors. */
class ServeCommandIT {
    private static final Pattern READY = Pattern.compile("^sluice ready mongodb://([^/]+)/ http://([^/]+)/$");

    private static Path jar() throws Exception {
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("sluice-server-.*-all\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("fat jar not built"));
        }
    }

    private static Process start(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String[] command = new String[args.length + 3];
        command[0] = java;
        command[1] = "-jar";
        command[2] = jar().toString();
        System.arraycopy(args, 0, command, 3, args.length);
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(new File("target/serve-it.log"))).start();
    }

    @Test
    void servePrintsTheReadyLineServesADriverAndStopsOnSigterm() throws Exception {
        Process p = start("serve", "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).isNotNull().matches(READY);
            Matcher m = READY.matcher(line);
            assertThat(m.matches()).isTrue();
            try (MongoClient client = MongoClients.create("mongodb://" + m.group(1) + "/")) {
                client.getDatabase("test").getCollection("cli").insertOne(new Document("x", 1));
                assertThat(client.getDatabase("test").getCollection("cli").countDocuments()).isEqualTo(1);
            }
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("stops within 20 s of SIGTERM").isTrue();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void invalidOptionExitsWithCodeTwoAndNamesIt() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar().toString(), "serve", "--listen", "127.0.0.1:0", "--upstream", "mongodb://db1/?maxPoolSize=2&minPoolSize=5")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(output).contains("invalid configuration").contains("minPoolSize");
    }
}
