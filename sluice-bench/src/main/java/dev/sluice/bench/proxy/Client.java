package dev.sluice.bench.proxy;

import org.HdrHistogram.Histogram;

/**
 * What every kind of load client records: round-trip latencies (ns) within the window, and errors. The histogram
 * is the client's own, or one shared by clients that run on the same thread (a crowd of event-loop clients).
 */
abstract class Client {
    final Histogram latencies;
    long errors;
    String firstError;

    Client() {
        this(new Histogram(3));
    }

    Client(Histogram latencies) {
        this.latencies = latencies;
    }

    void error(Throwable t) {
        errors++;
        if (firstError == null) {
            firstError = t.toString();
        }
    }
}
