package dev.sluice.pool;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** maxPoolSize changed at runtime: shrinking converges without interrupting holders, growing serves waiters. */
class ResizeTest {

    private final FakeTicker ticker = new FakeTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final ManualFactory factory = new ManualFactory(true);
    private final ConnectionPool<ManualFactory.Conn> pool = ConnectionPool.builder(factory).address("db1:27017")
            .settings(PoolSettings.builder().maxPoolSize(4).maintenanceIntervalMS(0).build())
            .ticker(ticker).scheduler(scheduler).build();

    @Test
    void shrinkingClosesIdleSurplusNowAndBusySurplusAtCheckIn() {
        pool.ready();
        PooledConnection<ManualFactory.Conn> a = pool.checkOut();
        PooledConnection<ManualFactory.Conn> b = pool.checkOut();
        PooledConnection<ManualFactory.Conn> c = pool.checkOut();
        PooledConnection<ManualFactory.Conn> d = pool.checkOut();
        c.checkIn();
        d.checkIn();

        pool.resize(1);

        assertThat(factory.closed()).extracting(ManualFactory.Close::reason)
                .containsExactly(ConnectionClosedEvent.Reason.IDLE, ConnectionClosedEvent.Reason.IDLE);
        assertThat(pool.statistics().maxPoolSize()).isEqualTo(1);
        assertThat(pool.statistics().total()).isEqualTo(2);

        a.checkIn(); // still one over the new maximum: closed, not kept
        assertThat(pool.statistics().total()).isEqualTo(1);
        assertThat(pool.statistics().available()).isZero();
        b.checkIn();
        assertThat(pool.statistics().total()).isEqualTo(1);
        assertThat(pool.statistics().available()).isEqualTo(1);
        assertThat(factory.closed()).hasSize(3);
    }

    @Test
    void noConnectionOpensWhileOverTheNewMaximum() {
        pool.ready();
        PooledConnection<ManualFactory.Conn> a = pool.checkOut();
        pool.checkOut();
        pool.resize(1);

        AtomicReference<PoolException> failed = new AtomicReference<>();
        pool.checkOutAsync(100, TimeUnit.MILLISECONDS, (connection, error) -> failed.set(error));
        scheduler.advance(Duration.ofMillis(100));
        assertThat(failed.get()).isInstanceOf(WaitQueueTimeoutException.class).hasMessageContaining("maxPoolSize=1");
        assertThat(factory.opened()).hasSize(2);
        a.checkIn();
        assertThat(pool.statistics().total()).isEqualTo(1);
    }

    @Test
    void growingServesAWaiterAtOnce() {
        pool.resize(1);
        pool.ready();
        pool.checkOut();
        AtomicReference<PooledConnection<ManualFactory.Conn>> served = new AtomicReference<>();
        pool.checkOutAsync((connection, error) -> served.set(connection));
        assertThat(served.get()).isNull();

        pool.resize(2);

        assertThat(served.get()).isNotNull();
        assertThat(pool.statistics().total()).isEqualTo(2);
    }

    @Test
    void atMaxPoolSizeCountsHeldAndOpeningConnectionsAgainstTheCurrentMaximum() {
        ManualFactory slow = new ManualFactory(false);
        ConnectionPool<ManualFactory.Conn> p = ConnectionPool.builder(slow).address("db1:27017")
                .settings(PoolSettings.builder().maxPoolSize(2).maintenanceIntervalMS(0).build())
                .ticker(ticker).scheduler(scheduler).build();
        p.ready();
        assertThat(p.atMaxPoolSize()).isFalse();
        p.checkOutAsync((connection, error) -> { });
        assertThat(p.atMaxPoolSize()).as("one opening of two").isFalse();
        p.checkOutAsync((connection, error) -> { });
        assertThat(p.atMaxPoolSize()).as("two opening of two").isTrue();
        slow.completeNext();
        slow.completeNext();
        assertThat(p.atMaxPoolSize()).as("two held of two").isTrue();
        p.resize(3);
        assertThat(p.atMaxPoolSize()).isFalse();
        p.resize(0);
        assertThat(p.atMaxPoolSize()).as("unbounded").isFalse();
    }

    @Test
    void aNegativeMaximumIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> pool.resize(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxPoolSize: -1");
    }
}
