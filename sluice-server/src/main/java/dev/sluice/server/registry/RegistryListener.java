package dev.sluice.server.registry;

/** Observes the registry (metrics, alerting). Methods run on the registering thread; keep them cheap. */
public interface RegistryListener {
    default void registered(ConnectionEntry entry) {}

    default void unregistered(ConnectionEntry entry) {}

    /**
     * A registered connection's handshake described it ({@link ConnectionRegistry#describe}); the previous
     * appName and driver (null before its first handshake) are given so that counts can move.
     */
    default void described(ConnectionEntry entry, String previousAppName, String previousDriver) {}

    default void rejected(String connector) {}
}
