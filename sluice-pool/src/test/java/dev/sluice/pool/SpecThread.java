package dev.sluice.pool;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A named thread of a CMAP test: runs the operations given to it in order, keeping the first error. */
final class SpecThread {

    private static final Runnable FINISH = () -> { };

    private final LinkedBlockingQueue<Runnable> operations = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile Throwable error;

    SpecThread(String name) {
        thread = new Thread(this::loop, "cmap-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    void schedule(Runnable operation) {
        operations.add(operation);
    }

    private void loop() {
        try {
            for (Runnable op = operations.take(); op != FINISH; op = operations.take()) {
                try {
                    op.run();
                } catch (RuntimeException | AssertionError e) {
                    if (error == null) {
                        error = e;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until every scheduled operation ran; returns the thread's first error, or null. */
    Throwable finish(Duration timeout) throws InterruptedException {
        operations.add(FINISH);
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            throw new AssertionError(thread.getName() + " did not finish within " + timeout);
        }
        return error;
    }

    void stop() throws InterruptedException {
        operations.add(FINISH);
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(5));
    }
}
