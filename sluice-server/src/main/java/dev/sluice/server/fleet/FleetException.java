package dev.sluice.server.fleet;

/** A fleet operation (registry in the cluster, a request to another instance) failed; the message says which. */
public final class FleetException extends RuntimeException {
    public FleetException(String message) {
        super(message, null, false, false);
    }
}
