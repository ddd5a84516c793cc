package dev.sluice.server.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code net.transport} / {@code --transport}: parsed, the flag over the file, named in errors and reloads. */
class NetTransportTest {

    private static SluiceConfig config(String yaml, String flag) {
        return SluiceConfig.merge(ConfigFile.parse(yaml, "test"), new SluiceConfig.Flags("127.0.0.1:0", "127.0.0.1:0",
                null, null, false, false, null, null, null, flag));
    }

    @Test
    void autoByDefaultTheFileThenTheFlag() {
        assertThat(config("", null).server().transport()).isEqualTo(NetTransport.AUTO);
        assertThat(config("net: {transport: epoll}", null).server().transport()).isEqualTo(NetTransport.EPOLL);
        assertThat(config("net: {transport: IO_URING}", null).server().transport()).isEqualTo(NetTransport.IO_URING);
        assertThat(config("net: {transport: epoll}", "nio").server().transport()).isEqualTo(NetTransport.NIO);
        assertThat(ServerSettings.defaults().transport()).isEqualTo(NetTransport.AUTO);
    }

    @Test
    void anUnknownTransportIsAnErrorNamingWhereItCameFrom() {
        assertThatThrownBy(() -> config("net: {transport: kqueue}", null))
                .isInstanceOf(ConfigException.class)
                .hasMessage("net.transport: 'kqueue' (expected one of auto, io_uring, epoll, nio)");
        assertThatThrownBy(() -> config("", "uring"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--transport: 'uring' (expected one of auto, io_uring, epoll, nio)");
    }

    @Test
    void aReloadThatChangesTheTransportNeedsARestart() {
        ConfigChanges changes = ConfigChanges.between(config("net: {transport: epoll}", null),
                config("net: {transport: nio}", null));
        assertThat(changes.needRestart()).containsExactly("transport");
    }
}
