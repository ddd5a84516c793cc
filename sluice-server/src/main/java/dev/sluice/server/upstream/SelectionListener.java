package dev.sluice.server.upstream;

/**
 * Told how each server selection ended and how long it took, for metrics. Called once per selection, on the thread
 * that ends it (a client's event loop or the cluster's scheduler): it must be quick and must not block.
 */
@FunctionalInterface
public interface SelectionListener {

    /** The listener that ignores everything. */
    SelectionListener NOOP = (outcome, waitedNanos) -> { };

    /** How a selection ended. */
    enum Outcome {
        /** A suitable server was found (at once, or after waiting for the topology to change). */
        SELECTED("selected"),
        /** No suitable server within serverSelectionTimeoutMS, or none can ever be (incompatible wire versions). */
        NO_SUITABLE_SERVER("no_suitable_server"),
        /** The read preference was invalid for the deployment (for example maxStalenessSeconds too small). */
        INVALID_READ_PREFERENCE("invalid_read_preference"),
        /** The upstream was not open (not started yet, or shutting down). */
        NOT_OPEN("not_open");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        /** @return the metric label, for example {@code "no_suitable_server"} */
        public String label() {
            return label;
        }
    }

    /**
     * @param outcome     how the selection ended
     * @param waitedNanos from the call to select to the outcome
     */
    void selectionEnded(Outcome outcome, long waitedNanos);
}
