package dev.sluice.server.upstream;

import dev.sluice.pool.ConnectionClosedEvent;
import dev.sluice.pool.ConnectionDescriptor;
import dev.sluice.pool.ConnectionFactory;
import dev.sluice.pool.ConnectionPool;
import dev.sluice.pool.PoolException;
import dev.sluice.pool.PoolSettings;
import dev.sluice.pool.PooledConnection;
import dev.sluice.pool.WaitQueueTimeoutException;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Where a check-out of a split pool goes: real CMAP pools (one per lane) over embedded channels, no sockets. */
class PoolLanesTest {
    private final EventLoopGroup loops = new DefaultEventLoopGroup(2);
    private final LoopLanes loopLanes = new LoopLanes(loops);
    private final List<ConnectionPool<BackendConnection>> pools = new ArrayList<>();

    @AfterEach
    void close() {
        pools.forEach(ConnectionPool::close);
        loops.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
    }

    private final AtomicLong now = new AtomicLong();

    /** Two lanes of {@code perLane} connections; lane 1 fails a wait after {@code lane1WaitQueueTimeoutMS}. */
    private PoolLanes lanes(int perLane, long lane1WaitQueueTimeoutMS) {
        for (int lane = 0; lane < 2; lane++) {
            int l = lane;
            long waitQueueTimeoutMS = lane == 1 ? lane1WaitQueueTimeoutMS : 0;
            ConnectionPool<BackendConnection> pool = ConnectionPool.builder(new ConnectionFactory<BackendConnection>() {
                @Override
                public CompletionStage<BackendConnection> open(ConnectionDescriptor d) {
                    return CompletableFuture.completedFuture(new BackendConnection(new EmbeddedChannel(), "db:27017",
                            d.connectionId(), 0, l, true));
                }

                @Override
                public void close(BackendConnection connection, ConnectionClosedEvent.Reason reason) {
                }
            }).address("db:27017").ticker(now::get).settings(PoolSettings.builder().maxPoolSize(perLane)
                    .waitQueueTimeoutMS(waitQueueTimeoutMS).build()).build();
            pool.ready();
            pools.add(pool);
        }
        return new PoolLanes(pools, loopLanes, null);
    }

    /** A check-out from lane {@code lane}'s event loop; its outcome lands in the returned reference. */
    private AtomicReference<Object> checkOut(PoolLanes lanes, int lane) {
        AtomicReference<Object> outcome = new AtomicReference<>();
        lanes.checkOut(loopLanes.loop(lane), (PooledConnection<BackendConnection> c, PoolException e) ->
                outcome.set(e != null ? e : c));
        return outcome;
    }

    @SuppressWarnings("unchecked")
    private static PooledConnection<BackendConnection> held(AtomicReference<Object> outcome) {
        await().atMost(Duration.ofSeconds(10)).until(() -> outcome.get() != null);
        assertThat(outcome.get()).isInstanceOf(PooledConnection.class);
        return (PooledConnection<BackendConnection>) outcome.get();
    }

    private void advanceMillis(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void whenEveryLaneIsExhaustedACheckOutWaitsInTheLaneWhoseQueueMovesFaster() {
        PoolLanes lanes = lanes(1, 0);
        PooledConnection<BackendConnection> own = held(checkOut(lanes, 0));
        PooledConnection<BackendConnection> other = held(checkOut(lanes, 1));
        assertThat(own.connection().lane()).isZero();
        assertThat(other.connection().lane()).isEqualTo(1);

        AtomicReference<Object> first = checkOut(lanes, 0); // nobody waits anywhere: its own lane
        advanceMillis(100);
        AtomicReference<Object> second = checkOut(lanes, 1); // lane 0's head has waited 100 ms, its own none
        AtomicReference<Object> third = checkOut(lanes, 0); // lane 1's head has waited 0 ms: lane 1
        assertThat(pools.get(0).statistics().waitQueueSize()).isEqualTo(1);
        assertThat(pools.get(1).statistics().waitQueueSize()).isEqualTo(2);

        // each lane's queue stays first come, first served
        other.checkIn();
        assertThat(held(second).connection().lane()).isEqualTo(1);
        assertThat(third.get()).isNull();
        own.checkIn();
        assertThat(held(first).connection().lane()).isZero();
        assertThat(third.get()).isNull();
    }

    @Test
    void aCheckOutStaysInItsOwnLaneWhileTheWaitsAreAboutEven() {
        PoolLanes lanes = lanes(1, 0);
        held(checkOut(lanes, 0));
        held(checkOut(lanes, 1));
        checkOut(lanes, 1);
        advanceMillis(10);
        checkOut(lanes, 0); // lane 1 has waited 10 ms, its own lane nobody: stays
        advanceMillis(90);
        checkOut(lanes, 0); // 90 ms against 100 ms: stays
        checkOut(lanes, 1); // 100 ms against 90 ms: stays
        assertThat(pools.get(0).statistics().waitQueueSize()).isEqualTo(2);
        assertThat(pools.get(1).statistics().waitQueueSize()).isEqualTo(2);
    }

    @Test
    void aCheckOutQueuedInAnotherLaneStillTimesOutWithThatLanesWaitQueueTimeoutMS() {
        PoolLanes lanes = lanes(1, 50);
        held(checkOut(lanes, 0));
        held(checkOut(lanes, 1));
        checkOut(lanes, 0);
        advanceMillis(100);
        AtomicReference<Object> moved = checkOut(lanes, 0);
        assertThat(pools.get(1).statistics().waitQueueSize()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> moved.get() != null);
        assertThat(moved.get()).isInstanceOf(WaitQueueTimeoutException.class);
        assertThat(pools.get(1).statistics().waitQueueTimeouts()).isEqualTo(1);
        assertThat(pools.stream().mapToInt(p -> p.statistics().inUse()).sum()).isEqualTo(2);
    }
}
