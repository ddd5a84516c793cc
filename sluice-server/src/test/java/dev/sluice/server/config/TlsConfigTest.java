package dev.sluice.server.config;

import dev.sluice.server.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** net.tls.* in the YAML (mongod's nesting and names), the --tls* flags over it, and start-time refusals naming the option. */
class TlsConfigTest {
    @TempDir
    Path dir;

    private Path serverPem() {
        TestCertificates certs = TestCertificates.create(dir);
        return certs.writePem("server.pem", certs.server());
    }

    private static SluiceConfig merge(ConfigFile file, String https, ConfigFile.Tls flags) {
        return SluiceConfig.merge(file, new SluiceConfig.Flags("127.0.0.1:0", "127.0.0.1:0", https, null, false, false, flags));
    }

    @Test
    void yamlUsesMongodsNestedNetTlsKeys() {
        Path pem = serverPem();
        ConfigFile file = ConfigFile.parse("""
                https: 127.0.0.1:0
                net:
                  tls:
                    mode: requireTLS
                    certificateKeyFile: %s
                    certificateKeyFilePassword: secret
                    CAFile: %s
                    allowConnectionsWithoutCertificates: true
                    allowInvalidCertificates: false
                """.formatted(pem, pem), "test");
        TlsSettings tls = merge(file, null, null).server().tls();
        assertThat(tls.mode()).isEqualTo(TlsMode.REQUIRE_TLS);
        assertThat(tls.certificateKeyFile()).isEqualTo(pem);
        assertThat(tls.caFile()).isEqualTo(pem);
        assertThat(tls.certificateKeyFilePassword()).isEqualTo("secret");
        assertThat(tls.allowConnectionsWithoutCertificates()).isTrue();
        assertThat(tls.allowInvalidCertificates()).isFalse();
        assertThat(tls.toString()).doesNotContain("secret");
        assertThat(merge(file, null, null).server().https()).isEqualTo(new HostAndPort("127.0.0.1", 0));
    }

    @Test
    void flagsWinOverTheFileFieldByField() {
        Path pem = serverPem();
        ConfigFile file = ConfigFile.parse("net: {tls: {mode: preferTLS, certificateKeyFile: " + pem + "}}\n", "test");
        TlsSettings tls = merge(file, null, new ConfigFile.Tls("requireTLS", null, null, null, null, true)).server().tls();
        assertThat(tls.mode()).isEqualTo(TlsMode.REQUIRE_TLS);
        assertThat(tls.certificateKeyFile()).isEqualTo(pem);
        assertThat(tls.allowInvalidCertificates()).isTrue();
    }

    @Test
    void tlsIsOffByDefault() {
        ServerSettings s = merge(ConfigFile.EMPTY, null, null).server();
        assertThat(s.tls().mode()).isEqualTo(TlsMode.DISABLED);
        assertThat(s.https()).isNull();
    }

    @Test
    void requireTlsWithoutAKeyFileIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> merge(ConfigFile.parse("net: {tls: {mode: requireTLS}}\n", "t"), null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("net.tls.certificateKeyFile")
                .hasMessageContaining("requireTLS");
    }

    @Test
    void aMissingFileIsRefusedWithItsPath() {
        Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> merge(null, null, new ConfigFile.Tls("requireTLS", missing.toString(), null, null, null, null)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("net.tls.certificateKeyFile")
                .hasMessageContaining("file not found").hasMessageContaining(missing.toString());
        Path pem = serverPem();
        assertThatThrownBy(() -> merge(null, null, new ConfigFile.Tls("requireTLS", pem.toString(), null, dir.toString(), null, null)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("net.tls.CAFile").hasMessageContaining("directory");
    }

    @Test
    void anUnknownModeIsRefusedWithTheAllowedOnes() {
        assertThatThrownBy(() -> merge(ConfigFile.parse("net: {tls: {mode: requireSSL}}\n", "t"), null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("net.tls.mode: 'requireSSL'")
                .hasMessageContaining("allowTLS, preferTLS, requireTLS");
    }

    @Test
    void anUnknownTlsKeyIsRefusedWithItsPath() {
        assertThatThrownBy(() -> ConfigFile.parse("net: {tls: {caFile: x}}\n", "t"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("net.tls.caFile");
    }

    @Test
    void httpsNeedsACertificateAndLoopbackWithoutAuth() {
        assertThatThrownBy(() -> merge(null, "127.0.0.1:0", null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("https:")
                .hasMessageContaining("net.tls.certificateKeyFile");
        Path pem = serverPem();
        ConfigFile.Tls key = new ConfigFile.Tls(null, pem.toString(), null, null, null, null);
        assertThatThrownBy(() -> merge(null, "0.0.0.0:0", key))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("https: 0.0.0.0:0 is beyond loopback");
        assertThat(merge(null, "127.0.0.1:0", key).server().https()).isNotNull();
    }
}
