package dev.sluice.bench.proxy;

import java.util.Arrays;

/**
 * How evenly a cell's operations were shared among its clients: the distribution of operations per client
 * (nearest-rank percentiles), Jain's fairness index ((sum x)^2 / (n * sum x^2): 1 when all clients did the
 * same, 1/n when one did everything) and the clients that did nothing in the window.
 */
record OpsSpread(int clients, double mean, long min, long p1, long p10, long p50, long p90, long p99, long max,
                 double jain, int zero) {

    static OpsSpread of(long[] opsPerClient) {
        long[] x = opsPerClient.clone();
        Arrays.sort(x);
        int n = x.length;
        if (n == 0) {
            return new OpsSpread(0, 0, 0, 0, 0, 0, 0, 0, 0, Double.NaN, 0);
        }
        double sum = 0;
        double squares = 0;
        int zero = 0;
        for (long v : x) {
            sum += v;
            squares += (double) v * v;
            if (v == 0) {
                zero++;
            }
        }
        double jain = squares == 0 ? Double.NaN : sum * sum / (n * squares);
        return new OpsSpread(n, sum / n, x[0], rank(x, 1), rank(x, 10), rank(x, 50), rank(x, 90), rank(x, 99),
                x[n - 1], jain, zero);
    }

    /** The nearest-rank percentile of sorted values. */
    private static long rank(long[] sorted, double percentile) {
        int i = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
