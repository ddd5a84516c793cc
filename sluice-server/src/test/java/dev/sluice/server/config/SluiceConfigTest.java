package dev.sluice.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SluiceConfigTest {

    @Test
    void defaultsListenOnLoopbackWithTheEmbeddedBackend() {
        SluiceConfig c = SluiceConfig.merge(null, null, null, null);
        assertThat(c.server().listen()).hasToString("127.0.0.1:27016");
        assertThat(c.server().http()).hasToString("127.0.0.1:27080");
        assertThat(c.upstreamUri()).isNull();
        assertThat(c.server().maxIncomingConnections()).isEqualTo(20_000);
    }

    @Test
    void flagsOverrideTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, "listen: 0.0.0.0:1234\nhttp: 127.0.0.1:9\nmaxIncomingConnections: 50\n");
        SluiceConfig c = SluiceConfig.merge(ConfigFile.read(file), "127.0.0.1:0", null, null);
        assertThat(c.server().listen()).hasToString("127.0.0.1:0");
        assertThat(c.server().http()).hasToString("127.0.0.1:9");
        assertThat(c.server().maxIncomingConnections()).isEqualTo(50);
    }

    @Test
    void unknownKeyIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, "listn: 127.0.0.1:1\n");
        assertThatThrownBy(() -> ConfigFile.read(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'listn'");
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> ConfigFile.read(Path.of("/nonexistent/sluice.yaml")))
                .hasMessageContaining("file not found: /nonexistent/sluice.yaml");
    }

    @Test
    void outOfRangeValuesNameTheOptionAndTheRange() {
        assertThatThrownBy(() -> new ServerSettings(ServerSettings.DEFAULT_LISTEN, null, 0, 48_000_000,
                ServerSettings.DEFAULT_COMPRESSORS, 0, 80, 17))
                .hasMessage("maxIncomingConnections: 0 (expected: 1..1000000)");
        assertThatThrownBy(() -> SluiceConfig.merge(null, "127.0.0.1:99999", null, null))
                .hasMessageContaining("listen").hasMessageContaining("0..65535");
        assertThatThrownBy(() -> SluiceConfig.merge(null, "127.0.0.1:x", null, null))
                .hasMessageContaining("listen: '127.0.0.1:x'");
        assertThatThrownBy(() -> SluiceConfig.merge(ConfigFile.parse("maxUpstreamScramIterations: 100", "test"), null,
                null, null)).hasMessageContaining("maxUpstreamScramIterations: 100 (expected: 4096..100000000)");
        assertThat(SluiceConfig.merge(ConfigFile.parse("maxUpstreamScramIterations: 20000", "test"), null, null, null)
                .server().limits().maxUpstreamScramIterations()).isEqualTo(20_000);
        assertThat(ServerSettings.defaults().limits().maxUpstreamScramIterations()).isEqualTo(1_000_000);
    }

    @Test
    void badUpstreamUrisAreRejectedAtStart() {
        assertThatThrownBy(() -> SluiceConfig.merge(null, null, null, "http://nope"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("upstream: invalid MongoDB URI");
        assertThatThrownBy(() -> SluiceConfig.merge(null, null, null, "mongodb://db1/?maxPoolSize=5&minPoolSize=10"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("minPoolSize").hasMessageContaining("maxPoolSize");
        assertThatThrownBy(() -> SluiceConfig.merge(null, null, null, "mongodb://db1/?maxPoolSize=-1"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("maxPoolSize");
    }

    @Test
    void upstreamOptionsComeFromTheUri() {
        UpstreamSettings u = UpstreamSettings.fromUri("mongodb://db1:27018,db2/?maxPoolSize=7&minPoolSize=2"
                + "&connectTimeoutMS=1500&socketTimeoutMS=9000&appName=shop&compressors=zstd,snappy&heartbeatFrequencyMS=2000", false);
        assertThat(u.hosts()).extracting(HostAndPort::toString).containsExactly("db1:27018", "db2:27017");
        assertThat(u.pool().maxPoolSize()).isEqualTo(7);
        assertThat(u.pool().minPoolSize()).isEqualTo(2);
        assertThat(u.connectTimeoutMS()).isEqualTo(1500);
        assertThat(u.socketTimeoutMS()).isEqualTo(9000);
        assertThat(u.heartbeatFrequencyMS()).isEqualTo(2000);
        assertThat(u.appName()).isEqualTo("shop");
        assertThat(u.compressors()).containsExactly("zstd", "snappy");
    }

    @Test
    void passwordsAreMaskedWhereverTheUriIsPrinted() {
        assertThat(UpstreamSettings.mask("mongodb://user:secret@db1/")).isEqualTo("mongodb://user:****@db1/");
    }

    @Test
    void unsupportedUpstreamFeaturesAreRefusedClearly() {
        assertThatThrownBy(() -> UpstreamSettings.fromUri("mongodb://db1/?authMechanism=MONGODB-AWS", false))
                .hasMessageContaining("authMechanism=MONGODB-AWS is not supported yet");
        assertThat(UpstreamSettings.fromUri("mongodb+srv://cluster0.example.net/?loadBalanced=true", false)
                .loadBalanced()).isTrue();
    }
}
