package dev.sluice.server.topology;

import com.mongodb.ConnectionString;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopologySettingsTest {

    private static TopologySettings of(String uri) {
        return TopologySettings.fromConnectionString(new ConnectionString(uri));
    }

    @Test
    void theInitialTypeFollowsTheUri() {
        assertThat(of("mongodb://a,b").initialType()).isEqualTo(TopologyType.UNKNOWN);
        assertThat(of("mongodb://a").initialType()).as("directConnection defaults to false").isEqualTo(TopologyType.UNKNOWN);
        assertThat(of("mongodb://a/?directConnection=true").initialType()).isEqualTo(TopologyType.SINGLE);
        assertThat(of("mongodb://a,b/?replicaSet=rs").initialType()).isEqualTo(TopologyType.REPLICA_SET_NO_PRIMARY);
        assertThat(of("mongodb://lb/?loadBalanced=true").initialType()).isEqualTo(TopologyType.LOAD_BALANCED);
        assertThat(of("mongodb://A:27018,[::1]").seeds()).containsExactly(new ServerAddress("a", 27018),
                new ServerAddress("::1", 27017));
    }

    @Test
    void forbiddenCombinationsNameTheOption() {
        ServerAddress a = ServerAddress.parse("a");
        ServerAddress b = ServerAddress.parse("b");
        assertThatThrownBy(() -> new TopologySettings(List.of(a, b), true, null, false))
                .hasMessageContaining("directConnection=true");
        assertThatThrownBy(() -> new TopologySettings(List.of(a), false, "rs", true)).hasMessageContaining("loadBalanced=true");
        assertThatThrownBy(() -> new TopologySettings(List.of(a, a), false, null, false)).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> new TopologySettings(List.of(), false, null, false)).hasMessageContaining("no seed");
    }

    @Test
    void addressesAreNormalized() {
        assertThat(ServerAddress.parse("DB1.Example.NET")).isEqualTo(new ServerAddress("db1.example.net", 27017));
        assertThat(ServerAddress.parse("[FE80::1]:27018").toString()).isEqualTo("[fe80::1]:27018");
        assertThat(ServerAddress.parse("::1")).isEqualTo(new ServerAddress("::1", 27017));
        assertThatThrownBy(() -> ServerAddress.parse("a:x")).hasMessageContaining("port is not a number");
        assertThatThrownBy(() -> ServerAddress.parse("a:70000")).hasMessageContaining("expected: 0..65535");
    }
}
