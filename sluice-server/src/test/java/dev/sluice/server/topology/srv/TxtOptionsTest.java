package dev.sluice.server.topology.srv;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TxtOptionsTest {

    private static final String HOST = "c1.sluice.test";

    @Test
    void noRecordGivesNoOptions() {
        assertThat(TxtOptions.parse(HOST, List.of())).isEqualTo(TxtOptions.NONE);
    }

    @Test
    void authSourceReplicaSetAndLoadBalancedAreTyped() {
        TxtOptions t = TxtOptions.parse(HOST, List.of("replicaSet=repl0&authSource=thisDB"));
        assertThat(t.replicaSet()).isEqualTo("repl0");
        assertThat(t.authSource()).isEqualTo("thisDB");
        assertThat(t.loadBalanced()).isNull();
        assertThat(TxtOptions.parse(HOST, List.of("loadBalanced=true")).loadBalanced()).isTrue();
        assertThat(TxtOptions.parse(HOST, List.of("loadBalanced=false")).loadBalanced()).isFalse();
        assertThat(TxtOptions.parse(HOST, List.of("authSource=my%20db")).authSource()).isEqualTo("my db");
        assertThat(TxtOptions.parse(HOST, List.of("AUTHSOURCE=admin")).authSource()).isEqualTo("admin");
    }

    @Test
    void twoRecordsAreRefused() {
        assertThatThrownBy(() -> TxtOptions.parse(HOST, List.of("replicaSet=repl0", "authSource=otherDB")))
                .isInstanceOf(SrvLookupException.class)
                .hasMessageContaining(HOST).hasMessageContaining("2 TXT records");
    }

    @Test
    void optionsOtherThanTheThreeAreRefused() {
        for (String text : List.of("ssl=false", "tls=false", "socketTimeoutMS=500", "authSource=a&w=majority",
                "unknownOption=1")) {
            assertThatThrownBy(() -> TxtOptions.parse(HOST, List.of(text)))
                    .as(text).isInstanceOf(SrvLookupException.class)
                    .hasMessageContaining(HOST).hasMessageContaining("not allowed in a TXT record");
        }
    }

    @Test
    void malformedOrInvalidValuesAreRefused() {
        assertThatThrownBy(() -> TxtOptions.parse(HOST, List.of("authSource")))
                .isInstanceOf(SrvLookupException.class).hasMessageContaining("has no '='");
        assertThatThrownBy(() -> TxtOptions.parse(HOST, List.of("loadBalanced=yes")))
                .isInstanceOf(SrvLookupException.class).hasMessageContaining("loadBalanced");
        assertThatThrownBy(() -> TxtOptions.parse(HOST, List.of("authSource=")))
                .isInstanceOf(SrvLookupException.class).hasMessageContaining("authSource");
        assertThatThrownBy(() -> TxtOptions.parse(HOST, List.of("replicaSet=a&replicaSet=b")))
                .isInstanceOf(SrvLookupException.class).hasMessageContaining("more than once");
        assertThatThrownBy(() -> TxtOptions.parse(HOST, List.of("loadBalanced=true&replicaSet=r")))
                .isInstanceOf(SrvLookupException.class).hasMessageContaining(HOST);
    }
}
