package dev.sluice.server;

import dev.sluice.server.config.HostAndPort;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** The ready line's URLs are valid whatever the bind: IPv6 in brackets, wildcards as configured. */
class ReadyLineTest {

    @Test
    void ipv6IsBracketedAndWildcardsShowTheConfiguredHost() throws Exception {
        InetSocketAddress v6any = new InetSocketAddress(InetAddress.getByName("::"), 27080);
        assertThat(SluiceServer.urlAuthority(v6any, new HostAndPort("0.0.0.0", 27080))).isEqualTo("0.0.0.0:27080");
        assertThat(SluiceServer.urlAuthority(v6any, new HostAndPort("::", 27080))).isEqualTo("[::]:27080");
        InetSocketAddress v6loop = new InetSocketAddress(InetAddress.getByName("::1"), 5);
        assertThat(SluiceServer.urlAuthority(v6loop, new HostAndPort("::1", 0))).isEqualTo("[0:0:0:0:0:0:0:1]:5");
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 7);
        assertThat(SluiceServer.urlAuthority(v4, new HostAndPort("127.0.0.1", 0))).isEqualTo("127.0.0.1:7");
    }
}
