package dev.sluice.server.deploy;

import dev.sluice.server.http.FleetControl;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/haproxy/haproxy.cfg: TCP mode, every server checked on Sluice's HTTP port through {@code /readyz},
 * nothing that cuts a drain short; and {@code haproxy -c} accepts it where HAProxy is installed (skipped,
 * saying so, elsewhere).
 */
class HaproxyConfigTest {
    private static final Path CONFIG = RepositoryFiles.root().resolve("deploy/haproxy/haproxy.cfg");

    @Test
    void everySluiceIsHealthCheckedThroughReadyzOnItsHttpPort() throws Exception {
        List<String> lines = Files.readAllLines(CONFIG).stream().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(lines).contains("mode tcp", "option httpchk", "http-check expect status 200");
        assertThat(lines).anyMatch(l -> l.startsWith("http-check send meth GET uri " + FleetControl.READYZ + " "));
        List<String> servers = lines.stream().filter(l -> l.startsWith("server ")).toList();
        assertThat(servers).hasSizeGreaterThanOrEqualTo(2).allMatch(l -> l.endsWith(" check port 8080"));
        assertThat(lines).noneMatch(l -> l.contains("on-marked-down shutdown-sessions"));
    }

    @Test
    void haproxyAcceptsTheConfiguration() throws Exception {
        Path haproxy = Haproxy.binary();
        Assumptions.assumeTrue(haproxy != null, "haproxy is not installed (apt-get install haproxy): "
                + "haproxy -c -f deploy/haproxy/haproxy.cfg not run");
        Process p = new ProcessBuilder(haproxy.toString(), "-c", "-f", CONFIG.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }
}
