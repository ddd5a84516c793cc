package dev.sluice.server.route;

/**
 * The Client Backpressure specification's backoff before retrying after an overload error:
 * {@code jitter * min(MAX_BACKOFF, BASE_BACKOFF * 2^attempt)}, jitter uniform in [0, 1), 100 ms base, 10 s cap.
 * Sluice applies it before selecting again when a new connection could not be set up for a network reason
 * (the error carries the backpressure labels), so that waiting operations do not hammer a server that may be
 * overloaded with connection attempts.
 */
final class OverloadBackoff {
    static final long BASE_BACKOFF_MS = 100;
    static final long MAX_BACKOFF_MS = 10_000;

    private OverloadBackoff() {
    }

    /**
     * @param attempt the retry's number, from 1
     * @param jitter  a random value in [0, 1)
     * @return how long to wait before that retry, in milliseconds
     */
    static long delayMillis(int attempt, double jitter) {
        int shift = Math.max(0, Math.min(attempt, 20));
        long ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS << shift);
        return (long) (Math.max(0, Math.min(jitter, 1)) * ceiling);
    }
}
