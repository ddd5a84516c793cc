package dev.sluice.server.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.config.HostAndPort;
import dev.sluice.server.config.ServerSettings;
import dev.sluice.server.http.FleetControl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/kubernetes, parsed (no kubeconform offline): each manifest's kind and apiVersion, the selectors
 * agreeing, probes on Sluice's own paths and on the port its ConfigMap binds, a grace period longer than
 * the drain's, the hardening fields, and the ConfigMap's YAML read by Sluice's own parser.
 */
class DeployManifestsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, String> API_VERSIONS = Map.of("Deployment", "apps/v1", "Service", "v1",
            "ConfigMap", "v1", "PodDisruptionBudget", "policy/v1");
    /** Sluice's forced stop after the grace period, and the quiesce beat, with a margin (seconds). */
    private static final long STOP_MARGIN_SECONDS = 5;

    private static Map<String, JsonNode> byKind;

    @BeforeAll
    static void parse() throws IOException {
        byKind = new HashMap<>();
        Path dir = RepositoryFiles.root().resolve("deploy/kubernetes");
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        for (Path file : files) {
            for (JsonNode doc : YAML.readerFor(JsonNode.class).readValues(file.toFile()).readAll().stream()
                    .map(JsonNode.class::cast).toList()) {
                String kind = doc.path("kind").asText();
                assertThat(doc.path("apiVersion").asText()).as(file + " " + kind).isEqualTo(API_VERSIONS.get(kind));
                assertThat(doc.path("metadata").path("name").asText()).as(file + ": metadata.name").isNotBlank();
                assertThat(byKind.put(kind, doc)).as("one " + kind).isNull();
            }
        }
        assertThat(byKind.keySet()).containsExactlyInAnyOrderElementsOf(API_VERSIONS.keySet());
    }

    private static JsonNode pod() {
        return byKind.get("Deployment").path("spec").path("template");
    }

    private static JsonNode container() {
        JsonNode containers = pod().path("spec").path("containers");
        assertThat(containers.size()).isEqualTo(1);
        return containers.get(0);
    }

    private static ConfigFile sluiceConfig() {
        String text = byKind.get("ConfigMap").path("data").path("sluice.yaml").asText();
        assertThat(text).isNotBlank();
        return ConfigFile.parse(text, "deploy/kubernetes/configmap.yaml");
    }

    private static int containerPort(String name) {
        for (JsonNode port : container().path("ports")) {
            if (name.equals(port.path("name").asText())) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no container port named " + name);
    }

    @Test
    void selectorsOfTheDeploymentServiceAndBudgetAllMatchThePods() {
        JsonNode labels = pod().path("metadata").path("labels");
        for (JsonNode selector : List.of(byKind.get("Deployment").path("spec").path("selector").path("matchLabels"),
                byKind.get("Service").path("spec").path("selector"),
                byKind.get("PodDisruptionBudget").path("spec").path("selector").path("matchLabels"))) {
            assertThat(selector.size()).isPositive();
            selector.fields().forEachRemaining(e -> assertThat(labels.path(e.getKey()).asText())
                    .as("label " + e.getKey()).isEqualTo(e.getValue().asText()));
        }
        JsonNode pdb = byKind.get("PodDisruptionBudget").path("spec");
        assertThat(pdb.has("maxUnavailable") || pdb.has("minAvailable")).isTrue();
    }

    @Test
    void theConfigMapIsValidSluiceConfigurationBindingTheContainerPorts() {
        ConfigFile config = sluiceConfig();
        assertThat(HostAndPort.parse(config.listen(), "listen").port()).isEqualTo(containerPort("mongodb"));
        assertThat(HostAndPort.parse(config.http(), "http").port()).isEqualTo(containerPort("http"));
        assertThat(config.upstream()).as("a fleet names its cluster").startsWith("mongodb");
        assertThat(config.security().authorization()).isEqualTo("enabled");
        List<String> args = new ArrayList<>();
        container().path("args").forEach(a -> args.add(a.asText()));
        assertThat(args).startsWith("serve");
        String configPath = args.get(args.indexOf("--config") + 1);
        JsonNode mount = null;
        for (JsonNode m : container().path("volumeMounts")) {
            if (configPath.startsWith(m.path("mountPath").asText() + "/")) {
                mount = m;
            }
        }
        assertThat(mount).as("--config " + configPath + " is on a mounted volume").isNotNull();
        String key = configPath.substring(configPath.lastIndexOf('/') + 1);
        assertThat(byKind.get("ConfigMap").path("data").has(key)).isTrue();
    }

    @Test
    void probesUseSluicesPathsOnItsHttpPort() {
        assertThat(container().path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo(FleetControl.READYZ);
        for (String probe : List.of("livenessProbe", "startupProbe")) {
            assertThat(container().path(probe).path("httpGet").path("path").asText()).as(probe).isEqualTo(FleetControl.HEALTHZ);
        }
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            JsonNode port = container().path(probe).path("httpGet").path("port");
            int number = port.isInt() ? port.asInt() : containerPort(port.asText());
            assertThat(number).as(probe + " port").isEqualTo(HostAndPort.parse(sluiceConfig().http(), "http").port());
        }
        for (JsonNode port : byKind.get("Service").path("spec").path("ports")) {
            containerPort(port.path("targetPort").asText());
        }
    }

    @Test
    void theGracePeriodOutlastsTheDrainAndPreStopStartsIt() {
        Long configured = sluiceConfig().shutdownTimeoutMS();
        long drainMS = configured == null ? ServerSettings.DEFAULT_SHUTDOWN_TIMEOUT_MS : configured;
        long grace = pod().path("spec").path("terminationGracePeriodSeconds").asLong();
        assertThat(grace * 1000).isGreaterThanOrEqualTo(drainMS + STOP_MARGIN_SECONDS * 1000);
        String preStop = container().path("lifecycle").path("preStop").path("exec").path("command").toString();
        assertThat(preStop).contains("kill -TERM 1");
    }

    @Test
    void thePodRunsAsTheImagesNonRootUserOnAReadOnlyRoot() throws Exception {
        JsonNode pod = pod().path("spec").path("securityContext");
        assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("runAsUser").asInt()).isEqualTo(ImageConfigurationTest.imageUser()).isPositive();
        JsonNode c = container().path("securityContext");
        assertThat(c.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(c.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        JsonNode resources = container().path("resources");
        assertThat(resources.path("requests").path("memory").asText()).isNotBlank();
        assertThat(resources.path("limits").path("memory").asText()).isNotBlank();
        boolean tmpMounted = false;
        for (JsonNode m : container().path("volumeMounts")) {
            tmpMounted |= "/tmp".equals(m.path("mountPath").asText());
        }
        assertThat(tmpMounted).as("a writable /tmp for Netty's native library on a read-only root").isTrue();
    }
}
