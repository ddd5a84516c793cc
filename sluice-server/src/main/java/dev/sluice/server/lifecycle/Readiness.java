package dev.sluice.server.lifecycle;

import dev.sluice.server.topology.ServerDescription;
import dev.sluice.server.topology.ServerType;
import dev.sluice.server.topology.TopologyDescription;

/**
 * Whether this Sluice should get new clients ({@code /readyz}): not draining, and the upstream has a
 * server that can take a primary read now (a primary or standalone, or for a list of mongos any mongos
 * known up). The reason is one word, so the probe reveals nothing else.
 */
public final class Readiness {
    public static final String DRAINING = "draining";
    public static final String NO_UPSTREAM = "no-upstream";
    /** A fleet's connection budget leaves this instance less than its minimum yet (docs/fleet.md). */
    public static final String NO_BUDGET = "no-budget";

    private Readiness() {
    }

    /** Null when ready, else {@link #DRAINING} or {@link #NO_UPSTREAM}. */
    public static String notReadyReason(boolean draining, TopologyDescription topology) {
        if (draining) {
            return DRAINING;
        }
        if (topology == null || !topology.compatible()) {
            return NO_UPSTREAM;
        }
        for (ServerDescription s : topology.serverDescriptions()) {
            ServerType t = s.type();
            if (t == ServerType.RS_PRIMARY || t == ServerType.STANDALONE || t == ServerType.MONGOS
                    || t == ServerType.LOAD_BALANCER) {
                return null;
            }
        }
        return NO_UPSTREAM;
    }
}
