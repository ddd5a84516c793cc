package dev.sluice.server.topology.srv;

import dev.sluice.server.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SrvSettingsTest {

    @Test
    void defaultsAreTheSystemResolversAndFiveSeconds() {
        SrvSettings s = SrvSettings.of(null, null);
        assertThat(s.dnsServers()).isEmpty();
        assertThat(s.dnsTimeoutMS()).isEqualTo(5_000);
    }

    @Test
    void serversAreIpWithAnOptionalPort() {
        List<InetSocketAddress> servers = SrvSettings.of(List.of("10.0.0.2", "10.0.0.3:5353", "[::1]:53", "::1"),
                1_000L).dnsServers();
        assertThat(servers).extracting(InetSocketAddress::getPort).containsExactly(53, 5353, 53, 53);
        assertThat(servers.get(0).getHostString()).isEqualTo("10.0.0.2");
    }

    @Test
    void badValuesNameTheSetting() {
        assertThatThrownBy(() -> SrvSettings.of(List.of("dns.example.net:53"), null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("dnsServers: ")
                .hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> SrvSettings.of(List.of("10.0.0.2:x"), null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("dnsServers: ");
        assertThatThrownBy(() -> SrvSettings.of(List.of(), 10L))
                .isInstanceOf(ConfigException.class).hasMessage("dnsTimeoutMS: 10 (expected: 100..60000)");
    }
}
