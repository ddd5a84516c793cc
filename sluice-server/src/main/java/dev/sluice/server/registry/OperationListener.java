package dev.sluice.server.registry;

/**
 * Told how each operation of a connection ended (metrics). Called on the connection's event loop, once
 * per operation: keep it cheap and allocation-free.
 */
public interface OperationListener {
    OperationListener NOOP = new OperationListener() { };

    /** An operation ({@code operation}: the command name) took {@code durationNanos}, from request to reply. */
    default void operationEnded(String connector, String operation, long durationNanos) {}

    /** A reply with {@code ok: 0} and this {@code code} was sent to a client of {@code connector}. */
    default void errorReplied(String connector, int code) {}
}
