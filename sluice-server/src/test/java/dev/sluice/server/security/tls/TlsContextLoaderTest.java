package dev.sluice.server.security.tls;

import dev.sluice.server.config.ConfigException;
import dev.sluice.server.config.TlsMode;
import dev.sluice.server.config.TlsSettings;
import dev.sluice.server.testing.TestCertificates;
import org.junit.jupiter.api.BeforeEach;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading the PEM files: what works, and every refusal naming the option, the path and the cause. */
class TlsContextLoaderTest {
    @TempDir
    Path dir;
    private TestCertificates certs;

    @BeforeEach
    void setUp() {
        certs = TestCertificates.create(dir);
    }

    private static TlsSettings settings(Path keyFile, String password, Path ca) {
        return new TlsSettings(TlsMode.REQUIRE_TLS, keyFile, password, ca, false, false);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void aPemWithCertificateAndPkcs8KeyLoadsAndPresentsThatCertificate(SslProvider provider) {
        TestCertificates.Issued server = certs.server();
        TlsContexts loaded = TlsContextLoader.load(settings(certs.writePem("server.pem", server), null, certs.caFile()),
                provider);
        assertThat(loaded.certificate().getSerialNumber()).isEqualTo(server.serial());
        assertThat(loaded.mongodb().isServer()).isTrue();
        assertThat(loaded.https().isServer()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void anEncryptedKeyLoadsWithItsPasswordOnly(SslProvider provider) {
        TestCertificates.Issued server = certs.server();
        Path pem = certs.writeEncryptedPem("server.pem", server, "s3cret");
        assertThat(TlsContextLoader.load(settings(pem, "s3cret", null), provider).certificate().getSerialNumber())
                .isEqualTo(server.serial());
        assertThatThrownBy(() -> TlsContextLoader.load(settings(pem, null, null), provider))
                .isInstanceOf(ConfigException.class).hasMessageContaining("net.tls.certificateKeyFile")
                .hasMessageContaining(pem.toString()).hasMessageContaining("certificateKeyFilePassword");
        assertThatThrownBy(() -> TlsContextLoader.load(settings(pem, "wrong", null), provider))
                .isInstanceOf(ConfigException.class).hasMessageContaining("net.tls.certificateKeyFile");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void aKeyThatDoesNotMatchTheCertificateIsRefused(SslProvider provider) {
        Path pem = certs.writeMismatchedPem("server.pem", certs.server(), certs.server());
        assertThatThrownBy(() -> TlsContextLoader.load(settings(pem, null, null), provider))
                .isInstanceOf(ConfigException.class).hasMessageContaining("net.tls.certificateKeyFile")
                .hasMessageContaining(pem.toString()).hasMessageContaining("does the private key belong");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void aFileWithoutKeyOrCertificateIsRefusedSayingWhatIsMissing(SslProvider provider) throws Exception {
        Path caOnly = certs.caFile();
        assertThatThrownBy(() -> TlsContextLoader.load(settings(caOnly, null, null), provider))
                .isInstanceOf(ConfigException.class).hasMessageContaining("holds no private key");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        assertThatThrownBy(() -> TlsContextLoader.load(settings(empty, null, null), provider))
                .isInstanceOf(ConfigException.class).hasMessageContaining("holds no certificate");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void aCaFileWithoutCertificatesIsRefusedNamingCAFile(SslProvider provider) throws Exception {
        Path pem = certs.writePem("server.pem", certs.server());
        Path garbage = Files.writeString(dir.resolve("ca-garbage.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> TlsContextLoader.load(settings(pem, null, garbage), provider))
                .isInstanceOf(ConfigException.class).hasMessageContaining("net.tls.CAFile")
                .hasMessageContaining(garbage.toString());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void aFailedReloadKeepsTheCurrentCertificateAndASuccessfulOneSwapsIt(SslProvider provider) throws Exception {
        TestCertificates.Issued first = certs.server();
        Path pem = certs.writePem("server.pem", first);
        ServerTls tls = ServerTls.load(settings(pem, null, null), new ChosenTlsProvider(
                dev.sluice.server.config.TlsProvider.AUTO, provider, null), Clock.systemUTC());
        assertThat(tls.certificate().getSerialNumber()).isEqualTo(first.serial());

        Files.writeString(pem, "truncated by a bad deploy\n");
        assertThatThrownBy(() -> tls.reload("test")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("net.tls.certificateKeyFile");
        assertThat(tls.certificate().getSerialNumber()).isEqualTo(first.serial());

        TestCertificates.Issued second = certs.server();
        certs.writePem("server.pem", second);
        assertThat(tls.reload("test").getSerialNumber()).isEqualTo(second.serial());
        assertThat(tls.certificate().getSerialNumber()).isEqualTo(second.serial());
    }
}
