package dev.sluice.pool;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ConnectionPool#longestWaitNanos()}: how long the head of the wait queue has waited, by the pool's ticker. */
class LongestWaitTest {

    private final FakeTicker ticker = new FakeTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final ConnectionPool<ManualFactory.Conn> pool = ConnectionPool.builder(new ManualFactory(true))
            .address("db1:27017").settings(PoolSettings.builder().maxPoolSize(1).maintenanceIntervalMS(0).build())
            .ticker(ticker).scheduler(scheduler).build();

    @Test
    void isTheAgeOfTheLongestWaitingCheckOutAndZeroWhenNobodyWaits() {
        pool.ready();
        PooledConnection<ManualFactory.Conn> held = pool.checkOut();
        assertThat(pool.longestWaitNanos()).isZero();

        AtomicReference<PooledConnection<ManualFactory.Conn>> first = new AtomicReference<>();
        pool.checkOutAsync((c, e) -> first.set(c));
        ticker.advance(Duration.ofMillis(30));
        pool.checkOutAsync((c, e) -> c.checkIn());
        ticker.advance(Duration.ofMillis(20));
        assertThat(pool.longestWaitNanos()).isEqualTo(Duration.ofMillis(50).toNanos());

        held.checkIn(); // the first waiter gets it: the second is now the longest waiting
        assertThat(first.get()).isNotNull();
        assertThat(pool.longestWaitNanos()).isEqualTo(Duration.ofMillis(20).toNanos());

        first.get().checkIn();
        assertThat(pool.longestWaitNanos()).isZero();
    }
}
