package dev.sluice.server.registry;

/** What an accepted connection is doing, as shown by {@code listConnections}. */
public enum ConnectionStatus {
    /** Connected, no operation in flight. */
    IDLE("Idle"),
    /** An operation is in flight. */
    RUNNING("Running"),
    /** Being closed (killed, shutting down, or the peer went away). */
    CLOSING("Closing");

    private final String label;

    ConnectionStatus(String label) {
        this.label = label;
    }

    /** The label shown to operators ("Idle", "Running", "Closing"). */
    public String label() {
        return label;
    }
}
