package dev.sluice.server.registry;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A drain closes a load-balanced client connection only if it ran nothing since the drain looked at it: a cursor
 * opened by an operation that ended after that look would not be in the drain's list of cursor owners.
 */
class KillIfStillIdleTest {
    private final List<String> killed = new ArrayList<>();
    private final ConnectionRegistry registry = new ConnectionRegistry(Clock.systemUTC());
    private final ConnectionEntry entry = registry.register("mongodb-lb", "127.0.0.1:27018", "127.0.0.1:50000",
            killed::add);

    @Test
    void anIdleConnectionThatRanNothingSinceIsClosed() {
        entry.operationStarted("find", 0);
        entry.operationFinished();
        long seen = entry.idleMark();
        entry.killIfStillIdle(seen, "draining");
        assertThat(killed).containsExactly("draining");
        assertThat(entry.status()).isEqualTo(ConnectionStatus.CLOSING);
    }

    @Test
    void aConnectionThatRanAnOperationSinceTheLookIsLeftAlone() {
        long seen = entry.idleMark();
        entry.operationStarted("find", 0); // opens a cursor the drain's list of owners does not have
        entry.operationFinished();
        entry.killIfStillIdle(seen, "draining");
        assertThat(killed).isEmpty();
        assertThat(entry.status()).isEqualTo(ConnectionStatus.IDLE);
    }

    @Test
    void aConnectionRunningAnOperationIsLeftAlone() {
        long seen = entry.idleMark();
        entry.operationStarted("getMore", 0);
        entry.killIfStillIdle(entry.opCount(), "draining");
        entry.killIfStillIdle(seen, "draining");
        assertThat(killed).isEmpty();
        assertThat(entry.status()).isEqualTo(ConnectionStatus.RUNNING);
    }
}
