package dev.sluice.server.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExposureTest {

    @Test
    void loopbackNamesAreLoopback() {
        assertThat(Exposure.isLoopback("127.0.0.1")).isTrue();
        assertThat(Exposure.isLoopback("localhost")).isTrue();
        assertThat(Exposure.isLoopback("::1")).isTrue();
        assertThat(Exposure.isLoopback("0.0.0.0")).isFalse();
        assertThat(Exposure.isLoopback("::")).isFalse();
    }

    @Test
    void httpBeyondLoopbackIsRefusedUnlessTheRiskIsAccepted() {
        assertThatThrownBy(() -> SluiceConfig.merge(null, null, "0.0.0.0:27080", null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http: 0.0.0.0:27080 is beyond loopback")
                .hasMessageContaining("--allow-unauthenticated-remote-access");
        assertThat(SluiceConfig.merge(null, null, "0.0.0.0:27080", null, true).server().allowUnauthenticatedRemoteAccess())
                .isTrue();
        ConfigFile file = ConfigFile.parse("security:\n  allowUnauthenticatedRemoteAccess: true\n", "test");
        assertThat(SluiceConfig.merge(file, null, "[::]:27080", null).server().http().host()).isEqualTo("::");
    }

    @Test
    void theMongodbConnectorMayListenBeyondLoopback() {
        assertThat(SluiceConfig.merge(null, "0.0.0.0:27016", null, null).server().listen().host()).isEqualTo("0.0.0.0");
    }

    @Test
    void yamlErrorsNameTheKeyWithoutJacksonDetails() {
        assertThatThrownBy(() -> ConfigFile.parse("maxIncomingConnections: lots\n", "f.yaml"))
                .hasMessageContaining("wrong type for 'maxIncomingConnections'")
                .hasMessageNotContaining("through reference chain")
                .hasMessageNotContaining("dev.sluice");
        assertThatThrownBy(() -> ConfigFile.parse("alerts:\n  thresholdPercnt: 3\n", "f.yaml"))
                .hasMessageContaining("unknown key 'alerts.thresholdPercnt'");
        ConfigFile ok = ConfigFile.parse("alerts:\n  thresholdPercent: 70\n  hysteresisPercent: 5\n", "f.yaml");
        ServerSettings s = SluiceConfig.merge(ok, null, null, null).server();
        assertThat(s.alertThresholdPercent()).isEqualTo(70);
        assertThat(s.alertHysteresisPercent()).isEqualTo(5);
        assertThatThrownBy(() -> SluiceConfig.merge(ConfigFile.parse("alerts: {thresholdPercent: 50, hysteresisPercent: 50}", "f"),
                null, null, null)).hasMessageContaining("alerts.hysteresisPercent: 50 (expected: 0..49)");
    }
}
