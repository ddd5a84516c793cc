package dev.sluice.bench.proxy;

import org.HdrHistogram.Histogram;

/** What every kind of load client records: round-trip latencies (ns) within the window, and errors. */
abstract class Client {
    final Histogram latencies = new Histogram(3);
    long errors;
    String firstError;

    void error(Throwable t) {
        errors++;
        if (firstError == null) {
            firstError = t.toString();
        }
    }
}
