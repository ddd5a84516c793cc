package dev.sluice.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;

/**
 * The forced part of a shutdown: steps that each may block (closing a channel whose event loop is
 * busy, a backend stuck in a command) share one deadline. A step still blocked at the deadline is
 * left running on its own daemon thread and named in the log; the shutdown goes on.
 */
final class ShutdownSteps {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSteps.class);

    private final LongSupplier nanoTime;
    private final long deadline;
    private final List<String> unfinished = new ArrayList<>();

    /** @param budgetMS time all the steps together may take */
    ShutdownSteps(LongSupplier nanoTime, long budgetMS) {
        this.nanoTime = nanoTime;
        this.deadline = nanoTime.getAsLong() + TimeUnit.MILLISECONDS.toNanos(budgetMS);
    }

    /** Milliseconds left before the deadline (at least 1, so every step gets a chance). */
    long remainingMS() {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - nanoTime.getAsLong()));
    }

    /** Runs a step that blocks with no bound of its own, waiting for it until the deadline. */
    void run(String what, Runnable step) {
        Thread t = new Thread(() -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.warn("[sluice] shutdown: {} failed: {}", what, e.toString());
            }
        }, "sluice-stop-" + what.replace(' ', '-'));
        t.setDaemon(true);
        t.start();
        try {
            t.join(remainingMS());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            unfinished.add(what);
        }
    }

    /** Runs a step that takes its own bound (the time left) and tells whether it finished in time. */
    void runBounded(String what, LongPredicate step) {
        if (!step.test(remainingMS())) {
            unfinished.add(what);
        }
    }

    /** The steps that had not finished by the deadline. */
    List<String> unfinished() {
        return List.copyOf(unfinished);
    }
}
