package dev.sluice.pool;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Check-in, discard, clear and close, as seen by the holders of connections. */
class LeaseTest {

    private final FakeTicker ticker = new FakeTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final ManualFactory factory = new ManualFactory(true);
    private final RecordingListener events = new RecordingListener();
    private final ConnectionPool<ManualFactory.Conn> pool = ConnectionPool.builder(factory).address("db1:27017")
            .settings(PoolSettings.builder().maxPoolSize(2).maintenanceIntervalMS(0).build())
            .ticker(ticker).scheduler(scheduler).listener(events).build();

    @Test
    void secondCheckInIsRejectedAndNeverMakesTwoEntries() {
        pool.ready();
        PooledConnection<ManualFactory.Conn> c = pool.checkOut();
        c.checkIn();

        assertThatThrownBy(c::checkIn).isInstanceOf(IllegalStateException.class)
                .hasMessage("Connection 1 to db1:27017 is not checked out (already checked in or discarded)");
        assertThat(pool.statistics().available()).isEqualTo(1);
        assertThat(pool.checkOut().id()).isEqualTo(1);
        assertThat(pool.checkOut().id()).isEqualTo(2);
    }

    @Test
    void discardClosesWithErrorAndFreesTheSlot() {
        pool.ready();
        PooledConnection<ManualFactory.Conn> a = pool.checkOut();
        pool.checkOut();

        a.discard();

        assertThat(factory.closed()).containsExactly(
                new ManualFactory.Close(a.connection(), ConnectionClosedEvent.Reason.ERROR));
        assertThat(pool.checkOut().id()).isEqualTo(3);
        assertThatThrownBy(a::discard).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void staleConnectionIsClosedWhenCheckedIn() {
        pool.ready();
        PooledConnection<ManualFactory.Conn> c = pool.checkOut();
        pool.clear();

        c.checkIn();

        assertThat(factory.closed()).extracting(ManualFactory.Close::reason)
                .containsExactly(ConnectionClosedEvent.Reason.STALE);
        assertThat(pool.statistics().generation()).isEqualTo(1);
        assertThat(pool.statistics().total()).isZero();
    }

    @Test
    void interruptingClearClosesInUseConnectionsAtOnce() {
        pool.ready();
        PooledConnection<ManualFactory.Conn> c = pool.checkOut();

        pool.clear(true);

        assertThat(factory.closed()).containsExactly(
                new ManualFactory.Close(c.connection(), ConnectionClosedEvent.Reason.STALE));
        assertThat(events.of(PoolClearedEvent.class)).containsExactly(new PoolClearedEvent("db1:27017", true));
        assertThat(pool.statistics().total()).isZero();

        c.checkIn();
        assertThat(factory.closed()).hasSize(1);
        assertThat(events.of(ConnectionCheckedInEvent.class)).hasSize(1);
        assertThatThrownBy(c::checkIn).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void interruptingClearClosesConnectionsBeingOpenedAndTheFactorysLateConnectionIsClosedQuietly() {
        ManualFactory slow = new ManualFactory(false);
        RecordingListener seen = new RecordingListener();
        ConnectionPool<ManualFactory.Conn> p = ConnectionPool.builder(slow).address("db2:27017")
                .settings(PoolSettings.builder().maxPoolSize(2).maintenanceIntervalMS(0).build())
                .ticker(ticker).scheduler(scheduler).listener(seen).build();
        p.ready();
        AtomicReference<PoolException> error = new AtomicReference<>();
        p.checkOutAsync((c, e) -> error.set(e));
        assertThat(slow.inProgress()).isEqualTo(1);

        p.clear(true);

        assertThat(seen.of(ConnectionClosedEvent.class)).extracting(ConnectionClosedEvent::reason)
                .containsExactly(ConnectionClosedEvent.Reason.STALE);
        assertThat(error.get()).isInstanceOf(PoolClearedException.class);
        assertThat(p.statistics().pending()).as("its slot is held until the factory completes it").isEqualTo(1);

        slow.completeNext();
        assertThat(slow.closed()).extracting(ManualFactory.Close::reason)
                .containsExactly(ConnectionClosedEvent.Reason.STALE);
        assertThat(seen.of(ConnectionClosedEvent.class)).as("no second event").hasSize(1);
        assertThat(seen.of(ConnectionReadyEvent.class)).isEmpty();
        assertThat(p.statistics().pending()).isZero();
        assertThat(p.statistics().total()).isZero();
    }

    @Test
    void clearFailsWaitersAtOnce() {
        pool.ready();
        pool.checkOut();
        pool.checkOut();
        AtomicReference<PoolException> error = new AtomicReference<>();
        pool.checkOutAsync((c, e) -> error.set(e));

        pool.clear();

        assertThat(error.get()).isInstanceOf(PoolClearedException.class).hasMessageContaining("was cleared");
        assertThat(pool.statistics().waitQueueSize()).isZero();
    }

    @Test
    void closeFailsWaitersAndClosesAvailableButNotInUseConnections() {
        pool.ready();
        PooledConnection<ManualFactory.Conn> a = pool.checkOut();
        pool.checkOut().checkIn();
        pool.checkOut();
        AtomicReference<PoolException> error = new AtomicReference<>();
        pool.checkOutAsync((c, e) -> error.set(e));

        pool.close();
        pool.close();

        assertThat(error.get()).isInstanceOf(PoolClosedException.class);
        assertThat(factory.closed()).isEmpty();
        a.checkIn();
        assertThat(factory.closed()).extracting(ManualFactory.Close::reason)
                .containsExactly(ConnectionClosedEvent.Reason.POOL_CLOSED);
        assertThat(events.of(PoolClosedEvent.class)).hasSize(1);
        assertThat(pool.statistics().state()).isEqualTo("closed");
    }

    @Test
    void asyncWaiterIsServedOnTheCheckInThreadInArrivalOrder() {
        pool.ready();
        PooledConnection<ManualFactory.Conn> a = pool.checkOut();
        pool.checkOut();
        StringBuilder order = new StringBuilder();
        AtomicInteger calls = new AtomicInteger();
        pool.checkOutAsync((c, e) -> {
            order.append("first:").append(c.id()).append(' ');
            calls.incrementAndGet();
        });
        pool.checkOutAsync((c, e) -> {
            order.append("second:").append(c.id());
            calls.incrementAndGet();
        });

        a.checkIn();
        assertThat(order).hasToString("first:1 ");
        assertThat(calls).hasValue(1);
        assertThat(pool.statistics().waitQueueSize()).isEqualTo(1);
    }

    @Test
    void failedOpenFailsTheCheckOutWithTheCauseAndLeavesThePoolReady() {
        IllegalStateException refused = new IllegalStateException("connection refused");
        factory.failNextOpensWith(refused);
        pool.ready();

        assertThatThrownBy(pool::checkOut).isInstanceOf(ConnectionCreationException.class)
                .hasMessageContaining("Failed to open connection 1 to db1:27017").hasCause(refused);

        assertThat(events.events()).filteredOn(e -> !(e instanceof PoolCreatedEvent || e instanceof PoolReadyEvent))
                .extracting(Object::getClass).map(Class::getSimpleName)
                .containsExactly("ConnectionCheckOutStartedEvent", "ConnectionCreatedEvent", "ConnectionClosedEvent",
                        "ConnectionCheckOutFailedEvent");
        assertThat(events.of(ConnectionCheckOutFailedEvent.class)).extracting(ConnectionCheckOutFailedEvent::reason)
                .containsExactly(ConnectionCheckOutFailedEvent.Reason.CONNECTION_ERROR);
        assertThat(pool.statistics().state()).isEqualTo("ready");
        assertThat(pool.statistics().total()).isZero();
    }

    @Test
    void statisticsCountCheckOutsAndConnections() {
        pool.ready();
        PooledConnection<ManualFactory.Conn> a = pool.checkOut();
        a.checkIn();
        pool.checkOut();
        pool.checkOut().discard();

        PoolStatistics s = pool.statistics();
        assertThat(s.checkOutCount()).isEqualTo(3);
        assertThat(s.inUse()).isEqualTo(1);
        assertThat(s.totalCreated()).isEqualTo(2);
        assertThat(s.totalClosed()).isEqualTo(1);
        assertThat(s.maxPoolSize()).isEqualTo(2);
        assertThat(s.address()).isEqualTo("db1:27017");
    }
}
