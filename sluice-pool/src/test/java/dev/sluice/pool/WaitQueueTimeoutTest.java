package dev.sluice.pool;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class WaitQueueTimeoutTest {

    private final FakeTicker ticker = new FakeTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final ManualFactory factory = new ManualFactory(true);
    private final RecordingListener events = new RecordingListener();
    private final ConnectionPool<ManualFactory.Conn> pool = ConnectionPool.builder(factory).address("db1:27017")
            .settings(PoolSettings.builder().maxPoolSize(1).waitQueueTimeoutMS(100).maintenanceIntervalMS(0).build())
            .ticker(ticker).scheduler(scheduler).listener(events).build();

    @Test
    void asyncWaiterTimesOutWithTheLiveFiguresInTheMessage() {
        pool.ready();
        pool.checkOut();
        AtomicReference<PoolException> error = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        pool.checkOutAsync((c, e) -> {
            calls.incrementAndGet();
            error.set(e);
        });
        scheduler.advance(Duration.ofMillis(99));
        assertThat(calls).hasValue(0);

        scheduler.advance(Duration.ofMillis(1));

        assertThat(calls).hasValue(1);
        assertThat(error.get()).isInstanceOf(WaitQueueTimeoutException.class)
                .hasMessage("Timed out after 100 ms waiting for a connection from pool db1:27017 "
                        + "(waitQueueTimeoutMS=100; maxPoolSize=1, inUse=1, available=0, pending=0, waiting=1)");
        assertThat(events.of(ConnectionCheckOutFailedEvent.class)).singleElement()
                .satisfies(e -> {
                    assertThat(e.reason()).isEqualTo(ConnectionCheckOutFailedEvent.Reason.TIMEOUT);
                    assertThat(e.duration()).isEqualTo(Duration.ofMillis(100));
                });
        assertThat(pool.statistics().waitQueueTimeouts()).isEqualTo(1);
        assertThat(pool.statistics().waitQueueSize()).isZero();
    }

    @Test
    void blockingWaiterTimesOutWhenTheSchedulerFiresItsTimeout() {
        pool.ready();
        pool.checkOut();
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                pool.checkOut(250, TimeUnit.MILLISECONDS);
                return null;
            } catch (PoolException e) {
                return e;
            }
        });
        await().until(() -> pool.statistics().waitQueueSize() == 1 && scheduler.pendingTasks() == 1);

        scheduler.advance(Duration.ofMillis(250));

        assertThat(outcome.join()).isInstanceOf(WaitQueueTimeoutException.class)
                .hasMessageContaining("check-out timeout 250 ms; maxPoolSize=1, inUse=1");
    }

    @Test
    void waiterServedBeforeItsTimeoutIsNotFailedLater() {
        pool.ready();
        PooledConnection<ManualFactory.Conn> held = pool.checkOut();
        AtomicInteger calls = new AtomicInteger();
        pool.checkOutAsync((c, e) -> calls.incrementAndGet());

        held.checkIn();
        scheduler.advance(Duration.ofMillis(500));

        assertThat(calls).hasValue(1);
        assertThat(pool.statistics().waitQueueTimeouts()).isZero();
        assertThat(pool.statistics().inUse()).isEqualTo(1);
    }

    @Test
    void checkOutOnPausedPoolFailsAtOnce() {
        assertThatThrownBy(pool::checkOut).isInstanceOf(PoolClearedException.class)
                .hasMessageContaining("db1:27017 is paused");
        assertThat(events.of(ConnectionCheckOutFailedEvent.class)).extracting(ConnectionCheckOutFailedEvent::reason)
                .containsExactly(ConnectionCheckOutFailedEvent.Reason.CONNECTION_ERROR);
    }

    @Test
    void checkOutOnClosedPoolFailsAtOnce() {
        pool.close();
        assertThatThrownBy(pool::checkOut).isInstanceOf(PoolClosedException.class).hasMessageContaining("db1:27017");
    }
}
