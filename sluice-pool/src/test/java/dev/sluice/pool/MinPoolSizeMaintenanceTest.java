package dev.sluice.pool;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class MinPoolSizeMaintenanceTest {

    private final FakeTicker ticker = new FakeTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final ManualFactory factory = new ManualFactory(false);
    private final RecordingListener events = new RecordingListener();
    private final ConnectionPool<ManualFactory.Conn> pool = ConnectionPool.builder(factory).address("db1:27017")
            .settings(PoolSettings.builder().minPoolSize(3).maxConnecting(2).maintenanceIntervalMS(50).build())
            .ticker(ticker).scheduler(scheduler).listener(events).build();

    @Test
    void pausedPoolOpensNothing() {
        scheduler.advance(Duration.ofMillis(200));
        pool.runMaintenance();
        assertThat(factory.opened()).isEmpty();
    }

    @Test
    void maintenanceFillsToMinPoolSizeWithinMaxConnecting() {
        pool.ready();
        scheduler.runDue();
        assertThat(factory.inProgress()).isEqualTo(2);
        assertThat(pool.statistics().pending()).isEqualTo(2);

        factory.completeNext();
        factory.completeNext();
        pool.runMaintenance();
        assertThat(factory.inProgress()).isEqualTo(1);
        factory.completeNext();
        pool.runMaintenance();

        assertThat(factory.opened()).hasSize(3);
        PoolStatistics s = pool.statistics();
        assertThat(s.available()).isEqualTo(3);
        assertThat(s.pending()).isZero();
        assertThat(s.totalCreated()).isEqualTo(3);
        assertThat(events.of(ConnectionReadyEvent.class)).hasSize(3);
    }

    @Test
    void checkOutsWaitForTheConnectionsMaintenanceIsOpeningInsteadOfOpeningMore() {
        ConnectionPool<ManualFactory.Conn> three = readyPool(2, 3);
        assertThat(factory.inProgress()).isEqualTo(2);
        List<PooledConnection<ManualFactory.Conn>> got = new CopyOnWriteArrayList<>();
        three.checkOutAsync((c, e) -> got.add(c));
        three.checkOutAsync((c, e) -> got.add(c));

        factory.completeNext(); // a slot of maxConnecting frees: the second check-out still waits for the other
        assertThat(factory.opened()).hasSize(2);
        factory.completeNext();

        assertThat(got).hasSize(2);
        assertThat(factory.opened()).as("no third connection").hasSize(2);
        assertThat(three.statistics().pending()).isZero();
    }

    @Test
    void aCheckOutOpensItsOwnConnectionWhenMaintenanceFailsToOpenOne() {
        ConnectionPool<ManualFactory.Conn> one = readyPool(1, 2);
        List<PooledConnection<ManualFactory.Conn>> got = new CopyOnWriteArrayList<>();
        one.checkOutAsync((c, e) -> got.add(c));
        assertThat(factory.opened()).as("it waits for the connection being opened").hasSize(1);

        factory.failNext(new IllegalStateException("connection refused"));
        assertThat(factory.opened()).as("then opens its own").hasSize(2);
        factory.completeNext();

        assertThat(got).hasSize(1);
    }

    @Test
    void aCheckOutArrivingWhileAMaintenanceConnectionBecomesAvailableWaitsForItInsteadOfOpeningAnother() {
        // the window: the connection has left the openings but is not yet available; a check-out starting then (here
        // from the ConnectionReady listener, which runs in that window) must not open a connection of its own
        List<PooledConnection<ManualFactory.Conn>> got = new CopyOnWriteArrayList<>();
        ConnectionPool<ManualFactory.Conn>[] self = new ConnectionPool[1];
        self[0] = ConnectionPool.builder(factory).address("db3:27017")
                .settings(PoolSettings.builder().minPoolSize(1).maxPoolSize(3).maxConnecting(2)
                        .maintenanceIntervalMS(60_000).build())
                .ticker(ticker).scheduler(scheduler).listener(new PoolListener() {
                    @Override
                    public void connectionReady(ConnectionReadyEvent e) {
                        self[0].checkOutAsync((c, error) -> got.add(c));
                    }
                }).build();
        self[0].ready();
        scheduler.runDue();
        assertThat(factory.inProgress()).isEqualTo(1);

        factory.completeNext();

        assertThat(got).as("the maintenance connection").hasSize(1);
        assertThat(factory.opened()).as("no second connection").hasSize(1);
        assertThat(factory.inProgress()).isZero();
    }

    /** A second pool on the same factory, ready, its first maintenance run (maxConnecting 2). */
    private ConnectionPool<ManualFactory.Conn> readyPool(int minPoolSize, int maxPoolSize) {
        ConnectionPool<ManualFactory.Conn> p = ConnectionPool.builder(factory).address("db2:27017")
                .settings(PoolSettings.builder().minPoolSize(minPoolSize).maxPoolSize(maxPoolSize).maxConnecting(2)
                        .maintenanceIntervalMS(60_000).build())
                .ticker(ticker).scheduler(scheduler).listener(events).build();
        p.ready();
        scheduler.runDue();
        return p;
    }

    @Test
    void maintenanceCountsInUseConnectionsTowardsMinPoolSize() {
        pool.ready();
        scheduler.runDue();
        factory.completeNext();
        factory.completeNext();
        pool.checkOut();
        pool.checkOut();
        pool.runMaintenance();
        factory.completeNext();
        pool.runMaintenance();

        assertThat(factory.opened()).hasSize(3);
        assertThat(factory.inProgress()).isZero();
    }

    @Test
    void failedBackgroundOpenIsSwallowedAndReportedAsClosedWithError() {
        factory.failNextOpensWith(new IllegalStateException("connection refused"));
        pool.ready();

        scheduler.runDue();

        assertThat(events.of(ConnectionClosedEvent.class)).extracting(ConnectionClosedEvent::reason)
                .containsOnly(ConnectionClosedEvent.Reason.ERROR);
        assertThat(events.of(ConnectionCheckOutFailedEvent.class)).isEmpty();
        assertThat(pool.statistics().state()).isEqualTo("ready");
        assertThat(pool.statistics().pending()).isZero();
    }

    @Test
    void clearStopsPopulationUntilReadyAgain() {
        pool.ready();
        scheduler.runDue();
        factory.completeNext();
        factory.completeNext();
        pool.clear();
        scheduler.advance(Duration.ofMillis(100));
        assertThat(factory.opened()).hasSize(2);

        pool.ready();
        scheduler.runDue();

        assertThat(factory.opened()).hasSize(4).extracting(ConnectionDescriptor::generation).containsExactly(0, 0, 1, 1);
        assertThat(events.of(ConnectionClosedEvent.class)).extracting(ConnectionClosedEvent::reason)
                .containsExactly(ConnectionClosedEvent.Reason.STALE, ConnectionClosedEvent.Reason.STALE);
    }
}
