package dev.sluice.server.upstream;

import dev.sluice.pool.ConnectionClosedEvent;
import dev.sluice.pool.ConnectionFactory;
import dev.sluice.pool.ConnectionPool;
import dev.sluice.pool.PoolSettings;
import dev.sluice.pool.PooledConnection;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A client whose own lane is exhausted borrows an idle connection of another lane, or opens one where there is room. */
class PoolLanesTest {

    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(2);
    private final List<ConnectionPool<BackendConnection>> pools = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();

    @AfterEach
    void close() {
        pools.forEach(ConnectionPool::close);
        loops.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
    }

    private ConnectionPool<BackendConnection> lane(int lane, int maxPoolSize) {
        ConnectionFactory<BackendConnection> factory = new ConnectionFactory<>() {
            @Override
            public CompletableFuture<BackendConnection> open(dev.sluice.pool.ConnectionDescriptor d) {
                return CompletableFuture.completedFuture(new BackendConnection(new EmbeddedChannel(), "db1:27017",
                        ids.incrementAndGet(), 0, lane, true));
            }

            @Override
            public void close(BackendConnection connection, ConnectionClosedEvent.Reason reason) {
            }
        };
        ConnectionPool<BackendConnection> pool = ConnectionPool.builder(factory).address("db1:27017")
                .settings(PoolSettings.builder().maxPoolSize(maxPoolSize).maintenanceIntervalMS(0).build()).build();
        pool.ready();
        pools.add(pool);
        return pool;
    }

    private PooledConnection<BackendConnection> checkOut(PoolLanes lanes, Object caller) {
        List<PooledConnection<BackendConnection>> got = new ArrayList<>();
        lanes.checkOut(caller, (connection, error) -> got.add(connection));
        return got.isEmpty() ? null : got.get(0);
    }

    @Test
    void anExhaustedLaneOpensInAnotherWithRoomThenBorrowsItsIdleConnectionThenWaits() {
        ConnectionPool<BackendConnection> own = lane(0, 1);
        ConnectionPool<BackendConnection> other = lane(1, 1);
        PoolLanes lanes = new PoolLanes(List.of(own, other), new LoopLanes(loops), null);
        Object loop0 = loops.iterator().next();

        PooledConnection<BackendConnection> a = checkOut(lanes, loop0);
        assertThat(a.connection().lane()).isZero();
        assertThat(own.atMaxPoolSize()).isTrue();

        PooledConnection<BackendConnection> b = checkOut(lanes, loop0);
        assertThat(b).as("opened in the lane with room").isNotNull();
        assertThat(b.connection().lane()).isEqualTo(1);
        assertThat(other.statistics().inUse()).isEqualTo(1);

        b.checkIn();
        PooledConnection<BackendConnection> c = checkOut(lanes, loop0);
        assertThat(c).as("the other lane's idle connection, borrowed").isNotNull();
        assertThat(c.connection().id()).isEqualTo(b.connection().id());

        assertThat(checkOut(lanes, loop0)).as("every lane full and busy: waits in its own lane").isNull();
        assertThat(own.statistics().waitQueueSize()).isEqualTo(1);
        assertThat(other.statistics().waitQueueSize()).isZero();
        assertThat(ids.get()).as("no connection beyond the host's maximum").isEqualTo(2);
    }
}
