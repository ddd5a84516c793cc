package dev.sluice.pool;

/**
 * A source of monotonic nanosecond time, injected so that tests of idle pruning and durations need no sleeps.
 * The default is {@link System#nanoTime()}.
 */
@FunctionalInterface
public interface Ticker {

    /** The system's monotonic clock. */
    Ticker SYSTEM = System::nanoTime;

    /**
     * The current time in nanoseconds, from an arbitrary origin; only differences are meaningful.
     *
     * @return nanoseconds
     */
    long nanoTime();
}
