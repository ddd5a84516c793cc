package dev.sluice.pool;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class IdleTimeoutTest {

    private final FakeTicker ticker = new FakeTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final ManualFactory factory = new ManualFactory(true);
    private final RecordingListener events = new RecordingListener();
    private final ConnectionPool<ManualFactory.Conn> pool = ConnectionPool.builder(factory).address("db1:27017")
            .settings(PoolSettings.builder().maxIdleTimeMS(100).maintenanceIntervalMS(1000).build())
            .ticker(ticker).scheduler(scheduler).listener(events).build();

    @Test
    void connectionIdleLongerThanMaxIdleTimeIsClosedAtCheckOut() {
        pool.ready();
        pool.checkOut().checkIn();
        ticker.advance(Duration.ofMillis(100));

        PooledConnection<ManualFactory.Conn> next = pool.checkOut();

        assertThat(next.id()).isEqualTo(2);
        assertThat(events.of(ConnectionClosedEvent.class))
                .containsExactly(new ConnectionClosedEvent("db1:27017", 1, ConnectionClosedEvent.Reason.IDLE));
        assertThat(factory.closed()).extracting(ManualFactory.Close::reason)
                .containsExactly(ConnectionClosedEvent.Reason.IDLE);
    }

    @Test
    void connectionUsedWithinMaxIdleTimeIsReused() {
        pool.ready();
        pool.checkOut().checkIn();
        ticker.advance(Duration.ofMillis(99));

        assertThat(pool.checkOut().id()).isEqualTo(1);
    }

    @Test
    void maintenanceClosesIdleConnections() {
        pool.ready();
        PooledConnection<ManualFactory.Conn> a = pool.checkOut();
        PooledConnection<ManualFactory.Conn> b = pool.checkOut();
        a.checkIn();
        ticker.advance(Duration.ofMillis(60));
        b.checkIn();

        scheduler.advance(Duration.ofMillis(60));
        pool.runMaintenance();

        assertThat(events.of(ConnectionClosedEvent.class)).extracting(ConnectionClosedEvent::connectionId)
                .containsExactly(1L);
        assertThat(pool.statistics().available()).isEqualTo(1);
    }

    @Test
    void scheduledMaintenanceRunsEveryInterval() {
        pool.ready();
        pool.checkOut().checkIn();

        scheduler.advance(Duration.ofMillis(1000));

        assertThat(events.of(ConnectionClosedEvent.class)).extracting(ConnectionClosedEvent::reason)
                .containsExactly(ConnectionClosedEvent.Reason.IDLE);
        assertThat(pool.statistics().totalClosed()).isEqualTo(1);
    }
}
