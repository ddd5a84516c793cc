package dev.sluice.server.upstream;

import dev.sluice.server.topology.ServerAddress;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the fleet's leave waits on: pooled sockets per host, counted until they are closed, monitors apart. */
class BackendChannelGroupsTest {
    private final BackendChannelGroups groups = new BackendChannelGroups();
    private final ServerAddress a = ServerAddress.parse("a:27017");
    private final ServerAddress b = ServerAddress.parse("b:27017");

    /** Each with an id of its own (EmbeddedChannel's default id is shared, and groups key channels by id). */
    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(io.netty.channel.DefaultChannelId.newInstance());
    }

    @Test
    void countsOpenPooledSocketsPerHostAndLeavesMonitorsOut() {
        EmbeddedChannel a1 = channel();
        EmbeddedChannel a2 = channel();
        EmbeddedChannel b1 = channel();
        groups.pooled(a).add(a1);
        groups.pooled(a).add(a2);
        groups.pooled(b).add(b1);
        groups.monitors().add(channel());
        groups.monitors().add(channel());
        groups.monitors().add(channel());
        assertThat(groups.maxPooledOpenPerHost()).isEqualTo(2);
        assertThat(groups.size()).isEqualTo(6);
        assertThat(groups.awaitPooledAtMost(1, 20)).isFalse(); // host a still holds 2 at the deadline

        a2.close();
        assertThat(groups.maxPooledOpenPerHost()).isEqualTo(1);
        assertThat(groups.awaitPooledAtMost(1, 20)).isTrue();
    }

    @Test
    void closeAllClosesEveryGroup() {
        EmbeddedChannel pooled = channel();
        EmbeddedChannel monitor = channel();
        groups.pooled(a).add(pooled);
        groups.monitors().add(monitor);
        assertThat(groups.closeAll(1_000)).isTrue();
        assertThat(pooled.isOpen()).isFalse();
        assertThat(monitor.isOpen()).isFalse();
        assertThat(groups.size()).isZero();
    }
}
