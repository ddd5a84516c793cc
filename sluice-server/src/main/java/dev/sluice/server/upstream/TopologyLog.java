package dev.sluice.server.upstream;

import dev.sluice.server.topology.ServerDescription;
import dev.sluice.server.topology.ServerType;
import dev.sluice.server.topology.TopologyEvent;
import dev.sluice.server.topology.TopologyListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what an operator wants to know of the topology, once per change: a server changing type
 * ({@code [topology] db2:27017 Unknown -> RSSecondary}), a server found unreachable (once, not at every failed
 * heartbeat), the deployment's type changing, servers joining and leaving.
 */
final class TopologyLog implements TopologyListener {
    private static final Logger LOG = LoggerFactory.getLogger(TopologyLog.class);
    /** Set when Sluice shuts the topology down: its removals are not news. */
    private volatile boolean closing;

    void closing() {
        closing = true;
    }

    @Override
    public void onEvent(TopologyEvent event) {
        if (closing) {
            return;
        }
        if (event instanceof TopologyEvent.ServerDescriptionChanged c) {
            serverChanged(c.previous(), c.current());
        } else if (event instanceof TopologyEvent.TopologyDescriptionChanged c
                && c.previous().type() != c.current().type() && !c.previous().servers().isEmpty()) {
            LOG.info("[topology] deployment {} -> {}", c.previous().type().specName(), c.current().type().specName());
        } else if (event instanceof TopologyEvent.ServerClosed c) {
            LOG.info("[topology] {} removed from the topology", c.address());
        }
    }

    private static void serverChanged(ServerDescription before, ServerDescription after) {
        if (before.type() != after.type()) {
            if (after.type() == ServerType.UNKNOWN && after.error() != null) {
                LOG.warn("[topology] {} {} -> Unknown: {}", after.address(), before.type().specName(), after.error());
            } else {
                LOG.info("[topology] {} {} -> {}{}", after.address(), before.type().specName(), after.type().specName(),
                        after.setName() == null ? "" : " (replica set " + after.setName() + ")");
            }
        } else if (after.type() == ServerType.UNKNOWN && before.error() == null && after.error() != null) {
            LOG.warn("[topology] {} unreachable: {} (checked again every heartbeatFrequencyMS)", after.address(),
                    after.error());
        }
    }
}
