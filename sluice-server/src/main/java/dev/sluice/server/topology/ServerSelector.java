package dev.sluice.server.topology;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToIntFunction;
import java.util.random.RandomGenerator;

/**
 * Server selection over a {@link TopologyDescription}: which servers are suitable for a read (by read preference)
 * or a write, which of them are within the latency window, and which one to use (the less busy of two picked at
 * random, by operation count). Stateless and thread-safe; the caller waits and retries when nothing is suitable.
 *
 * <ul>
 *   <li>Unknown: nothing is suitable.</li>
 *   <li>Single, LoadBalanced: the one server, if available, whatever the read preference.</li>
 *   <li>Sharded: every mongos (the read preference is for the mongos to apply).</li>
 *   <li>Replica set: writes go to the primary; reads by mode, maxStalenessSeconds, then tag sets.</li>
 * </ul>
 * Deprioritized servers (for example the one a retry failed on) are left out unless nothing else is suitable.
 */
public final class ServerSelector {

    private final SelectionSettings settings;

    /** @param settings localThresholdMS and heartbeatFrequencyMS */
    public ServerSelector(SelectionSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** @return the settings */
    public SelectionSettings settings() {
        return settings;
    }

    /**
     * @param topology       the current description
     * @param kind           read or write
     * @param readPreference for reads (null means primary); ignored for writes
     * @param deprioritized  servers to avoid unless no other is suitable
     * @return the suitable servers, possibly empty (then wait for a topology change and retry)
     * @throws ServerSelectionException when the topology is incompatible with Sluice
     * @throws ReadPreferenceException  when maxStalenessSeconds is below what the heartbeat allows (replica sets)
     */
    public List<ServerDescription> suitableServers(TopologyDescription topology, OperationKind kind,
                                                   ReadPreference readPreference,
                                                   Collection<ServerAddress> deprioritized) {
        if (!topology.compatible()) {
            throw new ServerSelectionException(topology.compatibilityError());
        }
        ReadPreference rp = kind == OperationKind.WRITE || readPreference == null ? ReadPreference.PRIMARY : readPreference;
        if (rp.maxStalenessSeconds().isPresent() && topology.type().isReplicaSet()
                && rp.maxStalenessSeconds().getAsLong() < settings.smallestMaxStalenessSeconds()) {
            throw ReadPreferenceException.maxStalenessOutOfRange("maxStalenessSeconds must be at least "
                    + settings.smallestMaxStalenessSeconds() + " (heartbeatFrequencyMS " + settings.heartbeatFrequencyMS()
                    + " + idleWritePeriodMS " + SelectionSettings.IDLE_WRITE_PERIOD_MS + "), not "
                    + rp.maxStalenessSeconds().getAsLong());
        }
        List<ServerDescription> available = new ArrayList<>();
        List<ServerDescription> preferred = new ArrayList<>();
        for (ServerDescription s : topology.serverDescriptions()) {
            if (s.isAvailable()) {
                available.add(s);
                if (deprioritized == null || !deprioritized.contains(s.address())) {
                    preferred.add(s);
                }
            }
        }
        List<ServerDescription> suitable = suitableAmong(preferred, topology, kind, rp);
        if (suitable.isEmpty() && preferred.size() != available.size()) {
            suitable = suitableAmong(available, topology, kind, rp);
        }
        return suitable;
    }

    /**
     * @param suitable suitable servers
     * @return those whose average RTT is at most localThresholdMS above the smallest (a server with no RTT yet
     *         counts as 0 ms)
     */
    public List<ServerDescription> inLatencyWindow(List<ServerDescription> suitable) {
        if (suitable.size() <= 1) {
            return suitable;
        }
        double fastest = Double.MAX_VALUE;
        for (ServerDescription s : suitable) {
            fastest = Math.min(fastest, s.rttOrZero());
        }
        double limit = fastest + settings.localThresholdMS();
        List<ServerDescription> window = new ArrayList<>();
        for (ServerDescription s : suitable) {
            if (s.rttOrZero() <= limit) {
                window.add(s);
            }
        }
        return window;
    }

    /**
     * Selects one server: suitable, in the latency window, then the one with fewer operations in progress of two
     * picked at random. The caller increments that server's operation count while the operation runs.
     *
     * @param topology       the current description
     * @param kind           read or write
     * @param readPreference for reads (null means primary)
     * @param deprioritized  servers to avoid unless no other is suitable
     * @param operationCount operations in progress per server
     * @param random         the random source
     * @return the server, or empty when none is suitable now
     */
    public Optional<ServerDescription> select(TopologyDescription topology, OperationKind kind,
                                              ReadPreference readPreference, Collection<ServerAddress> deprioritized,
                                              ToIntFunction<ServerAddress> operationCount, RandomGenerator random) {
        List<ServerDescription> window = inLatencyWindow(suitableServers(topology, kind, readPreference, deprioritized));
        return window.isEmpty() ? Optional.empty() : Optional.of(chooseFromWindow(window, operationCount, random));
    }

    /**
     * "Power of two choices": two distinct servers at random, the one with the lower operation count wins (the
     * first on a tie).
     *
     * @param window         the latency window, not empty
     * @param operationCount operations in progress per server
     * @param random         the random source
     * @return the chosen server
     */
    public static ServerDescription chooseFromWindow(List<ServerDescription> window,
                                                     ToIntFunction<ServerAddress> operationCount,
                                                     RandomGenerator random) {
        if (window.size() == 1) {
            return window.get(0);
        }
        int i = random.nextInt(window.size());
        int j = random.nextInt(window.size() - 1);
        if (j >= i) {
            j++;
        }
        ServerDescription a = window.get(i);
        ServerDescription b = window.get(j);
        return operationCount.applyAsInt(b.address()) < operationCount.applyAsInt(a.address()) ? b : a;
    }

    private List<ServerDescription> suitableAmong(List<ServerDescription> servers, TopologyDescription topology,
                                                  OperationKind kind, ReadPreference rp) {
        return switch (topology.type()) {
            case UNKNOWN -> List.of();
            case SINGLE, LOAD_BALANCED -> servers;
            case SHARDED -> ofType(servers, ServerType.MONGOS, null);
            case REPLICA_SET_NO_PRIMARY, REPLICA_SET_WITH_PRIMARY -> kind == OperationKind.WRITE
                    ? ofType(servers, ServerType.RS_PRIMARY, null) : forRead(servers, topology, rp);
        };
    }

    private List<ServerDescription> forRead(List<ServerDescription> servers, TopologyDescription topology,
                                            ReadPreference rp) {
        List<ServerDescription> primaries = ofType(servers, ServerType.RS_PRIMARY, null);
        return switch (rp.mode()) {
            case PRIMARY -> primaries;
            case SECONDARY -> eligible(ofType(servers, ServerType.RS_SECONDARY, null), topology, rp);
            case NEAREST -> eligible(ofType(servers, ServerType.RS_SECONDARY, ServerType.RS_PRIMARY), topology, rp);
            case PRIMARY_PREFERRED -> primaries.isEmpty()
                    ? eligible(ofType(servers, ServerType.RS_SECONDARY, null), topology, rp) : primaries;
            case SECONDARY_PREFERRED -> {
                List<ServerDescription> secondaries = eligible(ofType(servers, ServerType.RS_SECONDARY, null), topology, rp);
                yield secondaries.isEmpty() ? primaries : secondaries;
            }
        };
    }

    private List<ServerDescription> eligible(List<ServerDescription> candidates, TopologyDescription topology,
                                             ReadPreference rp) {
        List<ServerDescription> fresh = rp.maxStalenessSeconds().isPresent()
                ? EligibilityFilters.byStaleness(candidates, topology, rp.maxStalenessSeconds().getAsLong(),
                settings.heartbeatFrequencyMS())
                : candidates;
        return EligibilityFilters.byTags(fresh, rp.tagSets());
    }

    private static List<ServerDescription> ofType(List<ServerDescription> servers, ServerType type, ServerType orType) {
        List<ServerDescription> out = new ArrayList<>();
        for (ServerDescription s : servers) {
            if (s.type() == type || s.type() == orType) {
                out.add(s);
            }
        }
        return out;
    }
}
