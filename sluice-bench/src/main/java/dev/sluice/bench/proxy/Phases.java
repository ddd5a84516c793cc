package dev.sluice.bench.proxy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts a cell's clients together: each connects and shakes hands, says it is ready, and waits;
 * once all are ready (or failed) the window opens, warm-up first. {@link #awaitDone} waits for all
 * clients to leave.
 */
final class Phases {
    private final CountDownLatch ready;
    private final CountDownLatch go = new CountDownLatch(1);
    private final CountDownLatch done;
    private final long warmupMillis;
    private final long durationMillis;
    private volatile Window window;

    Phases(int clients, long warmupMillis, long durationMillis) {
        this.ready = new CountDownLatch(clients);
        this.done = new CountDownLatch(clients);
        this.warmupMillis = warmupMillis;
        this.durationMillis = durationMillis;
    }

    /** Called by a client once connected; returns the window once every client is ready. */
    Window readyAndWait() throws InterruptedException {
        ready.countDown();
        go.await();
        return window;
    }

    /** Called by a client when it is ready without blocking (event-loop clients); null until the window opens. */
    void readyNoWait() {
        ready.countDown();
    }

    /** Called by every client exactly once when it stops (also after a failure before ready). */
    void leave() {
        if (window == null) {
            ready.countDown();
        }
        done.countDown();
    }

    /** Waits (bounded) for all clients to be ready, then opens the window. */
    Window open(long setupTimeoutMillis) throws InterruptedException {
        ready.await(setupTimeoutMillis, TimeUnit.MILLISECONDS);
        window = Window.after(warmupMillis, durationMillis);
        go.countDown();
        return window;
    }

    boolean awaitDone(long timeoutMillis) throws InterruptedException {
        return done.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }
}
