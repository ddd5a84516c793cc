package dev.sluice.server.http;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HostCheckTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 27080);

    @Test
    void onLoopbackTheBoundAddressAndTheLoopbackNamesWithThePortAreAccepted() {
        HostCheck check = new HostCheck(new InetSocketAddress("127.0.0.1", 27080), List.of());
        for (String host : List.of("127.0.0.1:27080", "localhost:27080", "LocalHost:27080", "[::1]:27080",
                "[0:0:0:0:0:0:0:1]:27080", " localhost:27080 ")) {
            assertThat(check.refusal(host, LOOPBACK)).as(host).isNull();
        }
    }

    @Test
    void otherNamesWrongPortsAndJunkAreRefusedNamingTheSetting() {
        HostCheck check = new HostCheck(new InetSocketAddress("127.0.0.1", 27080), List.of());
        for (String host : List.of("attacker.example:27080", "attacker.example", "localhost", "localhost:27081",
                "127.0.0.1:80", "localhost.:27080", "evil@localhost:27080", "localhost:27080/x", "localhost:",
                "localhost:99999", "localhost:+27080", ":27080", "", "[::1]", "127.0.0.2:27080")) {
            assertThat(check.refusal(host, LOOPBACK)).as(host).isNotNull().contains("httpAllowedHosts");
        }
    }

    @Test
    void aWildcardBindAcceptsTheAddressTheConnectionReached() {
        HostCheck check = new HostCheck(new InetSocketAddress("0.0.0.0", 27080), List.of());
        InetSocketAddress lan = new InetSocketAddress("10.1.2.3", 27080);
        assertThat(check.refusal("10.1.2.3:27080", lan)).isNull();
        assertThat(check.refusal("10.1.2.4:27080", lan)).isNotNull();
        assertThat(check.refusal("0.0.0.0:27080", lan)).isNotNull();
        InetSocketAddress v6 = new InetSocketAddress("fd00::1", 27080);
        assertThat(check.refusal("[fd00::1]:27080", v6)).isNull();
        assertThat(check.refusal("[FD00:0:0::1]:27080", v6)).isNull();
    }

    @Test
    void aNameTheConnectorWasBoundToIsAcceptedWithItsPort() {
        HostCheck check = new HostCheck(InetSocketAddress.createUnresolved("sluice.example", 27080), List.of());
        assertThat(check.refusal("sluice.example:27080", LOOPBACK)).isNull();
        assertThat(check.refusal("sluice.example:8080", LOOPBACK)).isNotNull();
    }

    @Test
    void allowedHostsAreAcceptedWithAnyPortOrNone() {
        HostCheck check = new HostCheck(LOOPBACK, List.of("sluice.internal", "::1", "10.0.0.9"));
        assertThat(check.refusal("sluice.internal", LOOPBACK)).isNull();
        assertThat(check.refusal("SLUICE.internal:8443", LOOPBACK)).isNull();
        assertThat(check.refusal("[::1]", LOOPBACK)).isNull();
        assertThat(check.refusal("10.0.0.9:1", LOOPBACK)).isNull();
        assertThat(check.refusal("sluice.internal.attacker.example", LOOPBACK)).isNotNull()
                .contains("[sluice.internal, [::1], 10.0.0.9]");
    }
}
