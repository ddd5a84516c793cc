package dev.sluice.bench.proxy;

/**
 * The measured interval of a cell, in {@link System#nanoTime()} units: operations that start before
 * {@code start} (the warm-up) or end after {@code end} are not recorded; clients stop at {@code end}.
 */
record Window(long start, long end) {

    static Window after(long warmupMillis, long durationMillis) {
        long start = System.nanoTime() + warmupMillis * 1_000_000L;
        return new Window(start, start + durationMillis * 1_000_000L);
    }

    boolean records(long t0, long t1) {
        return t0 >= start && t1 <= end;
    }

    boolean over(long now) {
        return now >= end;
    }

    double seconds() {
        return (end - start) / 1e9;
    }
}
