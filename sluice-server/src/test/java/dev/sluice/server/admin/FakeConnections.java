package dev.sluice.server.admin;

import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.registry.ConnectionRegistry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Registers fake connections whose killer records the kill and unregisters them, as a real one would on close. */
public final class FakeConnections {
    private final ConnectionRegistry registry;
    private final List<String> killed = new CopyOnWriteArrayList<>();

    public FakeConnections(ConnectionRegistry registry) {
        this.registry = registry;
    }

    public ConnectionEntry add(String connector, String clientAddress) {
        ConnectionEntry[] self = new ConnectionEntry[1];
        self[0] = registry.register(connector, "127.0.0.1:27016", clientAddress, reason -> {
            killed.add(self[0].connectionId());
            registry.unregister(self[0]);
        });
        return self[0];
    }

    /** Ids killed, in kill order. */
    public List<String> killed() {
        return List.copyOf(killed);
    }
}
