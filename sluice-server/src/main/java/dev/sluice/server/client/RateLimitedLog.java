package dev.sluice.server.client;

import org.slf4j.Logger;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A WARN line at most once per interval for an event that can repeat thousands of times a second
 * (refused connections): the first occurrence is logged at once, later ones are counted and the
 * count is reported with the next line.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong nextAllowed;

    public RateLimitedLog(Logger log, long intervalMS, LongSupplier nanoTime) {
        this.log = log;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMS);
        this.nanoTime = nanoTime;
        this.nextAllowed = new AtomicLong(nanoTime.getAsLong());
    }

    /** Logs {@code message} (an SLF4J pattern) unless a line was logged within the interval. */
    public void warn(String message, Object... args) {
        long now = nanoTime.getAsLong();
        long allowed = nextAllowed.get();
        if (now - allowed < 0 || !nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long more = suppressed.getAndSet(0);
        if (more > 0) {
            Object[] withCount = java.util.Arrays.copyOf(args, args.length + 1);
            withCount[args.length] = more;
            log.warn(message + " ({} more like this since the last such line)", withCount);
        } else {
            log.warn(message, args);
        }
    }
}
