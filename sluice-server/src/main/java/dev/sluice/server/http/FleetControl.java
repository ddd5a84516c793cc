package dev.sluice.server.http;

/**
 * What the probes and the drain route read and start: the running Sluice behind them. Cheap, and safe from
 * any thread (the probes call it on an event loop).
 */
public interface FleetControl {
    /** Liveness probe path: 200 while the process serves. */
    String HEALTHZ = "/healthz";
    /** Readiness probe path: 200, or 503 with a one-word reason. */
    String READYZ = "/readyz";
    /** {@code POST} starts a drain. */
    String DRAIN = "/api/drain";

    /** A connector alone (tests): always live and ready; draining is not offered. */
    FleetControl NONE = new FleetControl() {
        @Override
        public String notReadyReason() {
            return null;
        }

        @Override
        public boolean canDrain() {
            return false;
        }

        @Override
        public void drain(String requestedBy) {
            throw new UnsupportedOperationException("no drain without a running Sluice");
        }

        @Override
        public long shutdownTimeoutMS() {
            return 0;
        }
    };

    /** Null when Sluice should get new clients, else a one-word reason ({@code draining}, {@code no-upstream}). */
    String notReadyReason();

    /** Whether {@link #drain} is offered. */
    boolean canDrain();

    /** Starts a drain (idempotent); returns at once. */
    void drain(String requestedBy);

    /** The drain's grace period. */
    long shutdownTimeoutMS();
}
