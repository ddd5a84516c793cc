package dev.sluice.server.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The waiting part of a drain: polls what is left ({@link DrainFigures}) until nothing a client could still
 * want to finish remains (running operations, open cursors, open transactions) or the grace period
 * ({@code shutdownTimeoutMS}) ends, and logs the progress about once a second. Time and pausing are injected.
 */
public final class DrainWait {
    private static final Logger LOG = LoggerFactory.getLogger(DrainWait.class);
    /** How often the figures are read. */
    static final long POLL_MS = 20;
    /** How often progress is logged. */
    static final long LOG_EVERY_MS = 1_000;

    /** Waits a little; production code sleeps. */
    @FunctionalInterface
    public interface Pause {
        void pause(long millis) throws InterruptedException;
    }

    private final LongSupplier nanoTime;
    private final Pause pause;
    private final Supplier<DrainFigures> figures;

    public DrainWait(LongSupplier nanoTime, Pause pause, Supplier<DrainFigures> figures) {
        this.nanoTime = nanoTime;
        this.pause = pause;
        this.figures = figures;
    }

    /**
     * Waits until idle or {@code graceMS} have passed.
     *
     * @return the figures when it stopped waiting ({@link DrainFigures#idle()} false: the grace period ended)
     */
    public DrainFigures await(long graceMS) {
        long start = nanoTime.getAsLong();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(graceMS);
        long nextLog = start;
        DrainFigures now = figures.get();
        while (!now.idle() && nanoTime.getAsLong() - deadline < 0) {
            long t = nanoTime.getAsLong();
            if (t - nextLog >= 0) {
                LOG.info("[sluice] draining: {} ({} ms of shutdownTimeoutMS={} left)", now.describe(),
                        Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - t)), graceMS);
                nextLog = t + TimeUnit.MILLISECONDS.toNanos(LOG_EVERY_MS);
            }
            try {
                pause.pause(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            now = figures.get();
        }
        if (now.idle()) {
            LOG.info("[sluice] draining: {} after {} ms", now.describe(),
                    TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - start));
        } else {
            LOG.warn("[sluice] draining: shutdownTimeoutMS={} passed with {}; closing them", graceMS, now.describe());
        }
        return now;
    }
}
