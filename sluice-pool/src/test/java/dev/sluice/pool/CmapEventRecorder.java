package dev.sluice.pool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records a pool's events, in emission order, as the JSON objects the CMAP tests describe. */
final class CmapEventRecorder implements PoolListener {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ObjectNode> events = new ArrayList<>();

    synchronized List<ObjectNode> snapshot() {
        return List.copyOf(events);
    }

    synchronized long count(String type) {
        return events.stream().filter(e -> e.get("type").asText().equals(type)).count();
    }

    private synchronized void record(ObjectNode e) {
        events.add(e);
    }

    private static ObjectNode event(String type, String address) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        n.put("address", address);
        return n;
    }

    private static double ms(Duration d) {
        return d.toNanos() / 1_000_000.0;
    }

    @Override
    public void poolCreated(PoolCreatedEvent e) {
        ObjectNode n = event("ConnectionPoolCreated", e.address());
        ObjectNode options = n.putObject("options");
        options.put("maxPoolSize", e.options().maxPoolSize());
        options.put("minPoolSize", e.options().minPoolSize());
        options.put("maxConnecting", e.options().maxConnecting());
        options.put("maxIdleTimeMS", e.options().maxIdleTimeMS());
        options.put("waitQueueTimeoutMS", e.options().waitQueueTimeoutMS());
        record(n);
    }

    @Override
    public void poolReady(PoolReadyEvent e) {
        record(event("ConnectionPoolReady", e.address()));
    }

    @Override
    public void poolCleared(PoolClearedEvent e) {
        record(event("ConnectionPoolCleared", e.address())
                .put("interruptInUseConnections", e.interruptInUseConnections()));
    }

    @Override
    public void poolClosed(PoolClosedEvent e) {
        record(event("ConnectionPoolClosed", e.address()));
    }

    @Override
    public void connectionCreated(ConnectionCreatedEvent e) {
        record(event("ConnectionCreated", e.address()).put("connectionId", e.connectionId()));
    }

    @Override
    public void connectionReady(ConnectionReadyEvent e) {
        record(event("ConnectionReady", e.address()).put("connectionId", e.connectionId())
                .put("duration", ms(e.duration())));
    }

    @Override
    public void connectionClosed(ConnectionClosedEvent e) {
        record(event("ConnectionClosed", e.address()).put("connectionId", e.connectionId())
                .put("reason", e.reason().specName()));
    }

    @Override
    public void connectionCheckOutStarted(ConnectionCheckOutStartedEvent e) {
        record(event("ConnectionCheckOutStarted", e.address()));
    }

    @Override
    public void connectionCheckOutFailed(ConnectionCheckOutFailedEvent e) {
        record(event("ConnectionCheckOutFailed", e.address()).put("reason", e.reason().specName())
                .put("duration", ms(e.duration())));
    }

    @Override
    public void connectionCheckedOut(ConnectionCheckedOutEvent e) {
        record(event("ConnectionCheckedOut", e.address()).put("connectionId", e.connectionId())
                .put("duration", ms(e.duration())));
    }

    @Override
    public void connectionCheckedIn(ConnectionCheckedInEvent e) {
        record(event("ConnectionCheckedIn", e.address()).put("connectionId", e.connectionId()));
    }
}
