package dev.sluice.server.admin;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class HostAndPortTest {
    @ParameterizedTest
    @ValueSource(strings = {"db1:27017", "db-1.example.com:1", "10.0.0.1:65535", "[::1]:27017", "DB1:27017"})
    void acceptsHostsWithAValidPort(String text) {
        assertThat(HostAndPort.parse(text)).contains(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "db1", "db1:", ":27017", "db1:0", "db1:65536", "db1:-1", "db1:27a17",
            "db 1:27017", "db1:27017:1", "[::1:27017", "db1:123456"})
    void rejectsAnythingElse(String text) {
        assertThat(HostAndPort.parse(text)).isEmpty();
    }
}
