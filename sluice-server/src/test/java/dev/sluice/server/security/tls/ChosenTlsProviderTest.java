package dev.sluice.server.security.tls;

import dev.sluice.server.config.ConfigException;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.config.SluiceConfig;
import dev.sluice.server.config.TlsProvider;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class ChosenTlsProviderTest {
    private static final Throwable MISSING = new UnsatisfiedLinkError("no netty_tcnative_linux_x86_64 in java.library.path");

    @Test
    void autoTakesOpenSslWhenItLoads() {
        ChosenTlsProvider chosen = ChosenTlsProvider.resolve(TlsProvider.AUTO, true, null);
        assertThat(chosen.provider()).isEqualTo(SslProvider.OPENSSL);
        assertThat(chosen.name()).isEqualTo("openssl");
        assertThat(chosen.note()).isNull();
    }

    @Test
    void autoFallsBackToTheJdkSayingWhy() {
        ChosenTlsProvider chosen = ChosenTlsProvider.resolve(TlsProvider.AUTO, false, MISSING);
        assertThat(chosen.provider()).isEqualTo(SslProvider.JDK);
        assertThat(chosen.note()).contains("net.tls.provider is auto").contains("no netty_tcnative_linux_x86_64")
                .contains("JDK");
    }

    @Test
    void opensslThatDoesNotLoadRefusesTheStartNamingTheSettingAndTheCause() {
        assertThatThrownBy(() -> ChosenTlsProvider.resolve(TlsProvider.OPENSSL, false, MISSING))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("net.tls.provider: openssl")
                .hasMessageContaining("UnsatisfiedLinkError: no netty_tcnative_linux_x86_64");
    }

    @Test
    void jdkIsTheJdkEvenWhenOpenSslLoads() {
        assertThat(ChosenTlsProvider.resolve(TlsProvider.JDK, true, null).provider()).isEqualTo(SslProvider.JDK);
    }

    @Test
    void boringSslShipsWithSluiceOnLinuxX8664() {
        assumeThat(System.getProperty("os.name")).startsWith("Linux");
        assumeThat(System.getProperty("os.arch")).isIn("amd64", "x86_64");
        assertThat(OpenSsl.isAvailable()).as("netty-tcnative-boringssl-static loads: %s", OpenSsl.unavailabilityCause())
                .isTrue();
        assertThat(ChosenTlsProvider.resolve(TlsProvider.AUTO).name()).isEqualTo("openssl");
        assertThat(OpenSsl.versionString()).contains("BoringSSL");
    }

    @Test
    void theSettingComesFromTheYamlAndTheFlagWins() {
        SluiceConfig file = SluiceConfig.merge(ConfigFile.parse("net:\n  tls: {provider: jdk}\n", "test"),
                new SluiceConfig.Flags(null, null, null, null, false, false, null));
        assertThat(file.server().tls().provider()).isEqualTo(TlsProvider.JDK);
        SluiceConfig flag = SluiceConfig.merge(ConfigFile.parse("net:\n  tls: {provider: jdk}\n", "test"),
                new SluiceConfig.Flags(null, null, null, null, false, false,
                        new ConfigFile.Tls(null, null, null, null, null, null, "openssl")));
        assertThat(flag.server().tls().provider()).isEqualTo(TlsProvider.OPENSSL);
        assertThat(SluiceConfig.merge(null, new SluiceConfig.Flags(null, null, null, null, false, false, null))
                .server().tls().provider()).isEqualTo(TlsProvider.AUTO);
        assertThatThrownBy(() -> SluiceConfig.merge(ConfigFile.parse("net:\n  tls: {provider: boring}\n", "test"),
                new SluiceConfig.Flags(null, null, null, null, false, false, null)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("net.tls.provider: 'boring' (expected one of auto, jdk, openssl)");
    }
}
