package dev.sluice.server.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadBalancedListenTest {
    private static SluiceConfig merge(String yaml, String flag) {
        return SluiceConfig.merge(ConfigFile.parse(yaml, "inline"), new SluiceConfig.Flags("10.0.0.5:27016", null,
                null, null, false, true, null, flag, null));
    }

    @Test
    void offUnlessTheYamlOrTheFlagGivesIt() {
        assertThat(merge("", null).server().loadBalancedListen()).isNull();
    }

    @Test
    void theYamlGivesHostAndPortAndTheFlagWinsABarePortBindingOnListensHost() {
        assertThat(merge("net:\n  loadBalancedListen: 127.0.0.1:27018\n", null).server().loadBalancedListen())
                .isEqualTo(new HostAndPort("127.0.0.1", 27018));
        assertThat(merge("net:\n  loadBalancedListen: 127.0.0.1:27018\n", "27019").server().loadBalancedListen())
                .isEqualTo(new HostAndPort("10.0.0.5", 27019));
        assertThat(merge("", "0.0.0.0:27020").server().loadBalancedListen())
                .isEqualTo(new HostAndPort("0.0.0.0", 27020));
    }

    @Test
    void badValuesNameTheOption() {
        assertThatThrownBy(() -> merge("", "99999")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--load-balanced-port");
        assertThatThrownBy(() -> merge("net:\n  loadBalancedListen: host:port\n", null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("net.loadBalancedListen");
        assertThatThrownBy(() -> merge("", "10.0.0.5:27016")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("needs a port of its own");
    }
}
