package dev.sluice.server.registry;

/** Observes the registry (metrics, alerting). Methods run on the registering thread; keep them cheap. */
public interface RegistryListener {
    default void registered(ConnectionEntry entry) {}

    default void unregistered(ConnectionEntry entry) {}

    default void rejected(String connector) {}
}
