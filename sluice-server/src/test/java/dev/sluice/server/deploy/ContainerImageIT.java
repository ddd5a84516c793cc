package dev.sluice.server.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container image the build wrote (target/sluice-image.tar, by Jib from an empty base, offline): its OCI
 * configuration (entry point, non-root user, ports) read from the tar, and its Java runtime (target/image-root,
 * the image's bottom layer) running Sluice's shaded jar up to the ready line, which proves the runtime holds
 * every module Sluice needs. Skipped, saying so, where the build made no image (not Linux, or -DskipImage).
 */
class ContainerImageIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theImageRunsServeAsANonRootUserOnItsOwnRuntime() throws Exception {
        Path target = RepositoryFiles.root().resolve("sluice-server/target");
        Path tar = target.resolve("sluice-image.tar");
        Assumptions.assumeTrue(Files.exists(tar), "no container image was built (not Linux, or -DskipImage)");
        Map<String, byte[]> entries = tarEntries(tar);
        JsonNode index = JSON.readTree(entries.get("index.json"));
        JsonNode manifest = JSON.readTree(blob(entries, index.path("manifests").get(0).path("digest").asText()));
        JsonNode config = JSON.readTree(blob(entries, manifest.path("config").path("digest").asText())).path("config");
        assertThat(config.path("User").asText()).isEqualTo("65532:65532");
        assertThat(config.path("Entrypoint").get(0).asText()).isEqualTo("/opt/java/bin/java");
        assertThat(config.path("Entrypoint").toString()).contains("dev.sluice.server.cli.Main");
        assertThat(config.path("Cmd").toString()).isEqualTo("[\"serve\",\"--config\",\"/etc/sluice/sluice.yaml\"]");
        assertThat(config.path("ExposedPorts").has("27017/tcp")).isTrue();
        assertThat(config.path("ExposedPorts").has("27018/tcp")).isTrue();
        assertThat(config.path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(manifest.path("layers").size()).isGreaterThanOrEqualTo(2);

        Path java = target.resolve("image-root/opt/java/bin/java");
        assertThat(java).isExecutable();
        Path jar;
        try (var jars = Files.list(target)) {
            jar = jars.filter(p -> p.getFileName().toString().endsWith("-all.jar")).findFirst().orElseThrow();
        }
        Process sluice = new ProcessBuilder(java.toString(), "-Djava.awt.headless=true", "-jar", jar.toString(),
                "serve", "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0").redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(sluice.getInputStream(),
                StandardCharsets.UTF_8))) {
            String ready = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (String line; System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
                if (line.startsWith("sluice ready ")) {
                    ready = line;
                    break;
                }
            }
            assertThat(ready).as("the ready line of Sluice on the image's runtime").isNotNull()
                    .contains("mongodb://127.0.0.1:");
        } finally {
            sluice.destroy();
            if (!sluice.waitFor(20, TimeUnit.SECONDS)) {
                sluice.destroyForcibly();
            }
        }
    }

    private static byte[] blob(Map<String, byte[]> entries, String digest) {
        byte[] b = entries.get("blobs/" + digest.replace(':', '/'));
        assertThat(b).as("blob " + digest).isNotNull();
        return b;
    }

    /** The small entries of a tar (JSON documents; layers are skipped), by name. */
    private static Map<String, byte[]> tarEntries(Path tar) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(tar))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (!e.isDirectory() && e.getSize() < 1 << 20) {
                    out.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return out;
    }
}
