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

    private PoolLanes lanes(int perLane, long waitQueueTimeoutMS) {
        for (int lane = 0; lane < 2; lane++) {
            int l = lane;
            ConnectionPool<BackendConnection> pool = ConnectionPool.builder(new ConnectionFactory<BackendConnection>() {
                @Override
                public CompletionStage<BackendConnection> open(ConnectionDescriptor d) {
                    return CompletableFuture.completedFuture(new BackendConnection(new EmbeddedChannel(), "db:27017",
                            d.connectionId(), 0, l, true));
                }

                @Override
                public void close(BackendConnection connection, ConnectionClosedEvent.Reason reason) {
                }
            }).address("db:27017").settings(PoolSettings.builder().maxPoolSize(perLane)
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

    @Test
    void whenEveryLaneIsExhaustedACheckOutWaitsInTheLaneWithTheShorterQueue() {
        PoolLanes lanes = lanes(1, 0);
        PooledConnection<BackendConnection> own = held(checkOut(lanes, 0));
        PooledConnection<BackendConnection> other = held(checkOut(lanes, 1));
        assertThat(own.connection().lane()).isZero();
        assertThat(other.connection().lane()).isEqualTo(1);

        AtomicReference<Object> first = checkOut(lanes, 0);
        AtomicReference<Object> second = checkOut(lanes, 0);
        // lane 0 now has 2 waiters on 1 connection, lane 1 none: the third joins lane 1
        AtomicReference<Object> third = checkOut(lanes, 0);
        assertThat(pools.get(0).statistics().waitQueueSize()).isEqualTo(2);
        assertThat(pools.get(1).statistics().waitQueueSize()).isEqualTo(1);

        other.checkIn();
        assertThat(held(third).connection().lane()).isEqualTo(1);
        assertThat(first.get()).isNull();
        assertThat(second.get()).isNull();

        // lane 0's queue stays first come, first served
        own.checkIn();
        assertThat(held(first).connection().lane()).isZero();
        assertThat(second.get()).isNull();
    }

    @Test
    void aCheckOutStaysInItsOwnLaneWhileTheQueuesAreAboutEven() {
        PoolLanes lanes = lanes(2, 0);
        for (int i = 0; i < 2; i++) {
            held(checkOut(lanes, 0));
            held(checkOut(lanes, 1));
        }
        checkOut(lanes, 1);
        checkOut(lanes, 1);
        checkOut(lanes, 0);
        checkOut(lanes, 0);
        checkOut(lanes, 0); // 3 on 2 connections against 2 on 2: not more than one per connection apart
        assertThat(pools.get(0).statistics().waitQueueSize()).isEqualTo(3);
        assertThat(pools.get(1).statistics().waitQueueSize()).isEqualTo(2);
    }

    @Test
    void aCheckOutQueuedInAnotherLaneStillTimesOutWithWaitQueueTimeoutMS() {
        PoolLanes lanes = lanes(1, 50);
        held(checkOut(lanes, 0));
        held(checkOut(lanes, 1));
        checkOut(lanes, 0);
        checkOut(lanes, 0);
        AtomicReference<Object> moved = checkOut(lanes, 0);
        assertThat(pools.get(1).statistics().waitQueueSize()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> moved.get() != null);
        assertThat(moved.get()).isInstanceOf(WaitQueueTimeoutException.class);
        assertThat(pools.get(1).statistics().waitQueueTimeouts()).isEqualTo(1);
        assertThat(pools.stream().mapToInt(p -> p.statistics().inUse()).sum()).isEqualTo(2);
    }
}
