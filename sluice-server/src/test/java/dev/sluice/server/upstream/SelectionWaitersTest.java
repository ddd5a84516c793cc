package dev.sluice.server.upstream;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Operations waiting for a server are woken by a change, exactly once, and never miss one. */
class SelectionWaitersTest {

    @Test
    void aWaiterRunsOnceAtTheNextChange() {
        SelectionWaiters waiters = new SelectionWaiters();
        AtomicInteger runs = new AtomicInteger();
        waiters.await(waiters.changes(), runs::incrementAndGet);
        assertThat(runs).hasValue(0);
        assertThat(waiters.size()).isEqualTo(1);
        waiters.changed();
        waiters.changed();
        assertThat(runs).hasValue(1);
        assertThat(waiters.size()).isZero();
    }

    @Test
    void aChangeBetweenTheSelectionAndTheRegistrationRunsTheWaiterAtOnce() {
        SelectionWaiters waiters = new SelectionWaiters();
        AtomicInteger runs = new AtomicInteger();
        long seen = waiters.changes();
        waiters.changed(); // the topology changed after the selection looked at it
        waiters.await(seen, runs::incrementAndGet);
        assertThat(runs).hasValue(1);
        assertThat(waiters.size()).isZero();
    }

    @Test
    void aWaiterThatGaveUpIsNotRun() {
        SelectionWaiters waiters = new SelectionWaiters();
        AtomicInteger runs = new AtomicInteger();
        Runnable wake = runs::incrementAndGet;
        waiters.await(waiters.changes(), wake);
        waiters.remove(wake);
        waiters.changed();
        assertThat(runs).hasValue(0);
    }
}
