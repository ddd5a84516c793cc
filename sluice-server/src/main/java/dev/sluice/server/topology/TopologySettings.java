package dev.sluice.server.topology;

import com.mongodb.ConnectionString;

import java.util.ArrayList;
import java.util.List;

/**
 * How the topology starts: the seed list and what the upstream URI says about the deployment. The initial type
 * follows the SDAM table: {@code loadBalanced=true} → LoadBalanced; {@code directConnection=true} → Single;
 * {@code replicaSet} → ReplicaSetNoPrimary; otherwise Unknown (discovered from the first replies).
 *
 * @param seeds            the seed list, at least one address, no duplicates
 * @param directConnection connect to the one seed whatever it is ({@code directConnection=true})
 * @param replicaSetName   the required replica set name ({@code replicaSet=}), or null
 * @param loadBalanced     the one seed is a load balancer ({@code loadBalanced=true})
 */
public record TopologySettings(List<ServerAddress> seeds, boolean directConnection, String replicaSetName,
                               boolean loadBalanced) {

    public TopologySettings {
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("upstream: no seed host (expected at least one host in the URI)");
        }
        if (seeds.stream().distinct().count() != seeds.size()) {
            throw new IllegalArgumentException("upstream: duplicate seed host in " + seeds);
        }
        if (directConnection && seeds.size() > 1) {
            throw new IllegalArgumentException("directConnection=true: cannot be used with multiple hosts " + seeds);
        }
        if (loadBalanced && (directConnection || replicaSetName != null)) {
            throw new IllegalArgumentException("loadBalanced=true: cannot be used with directConnection=true or replicaSet");
        }
        if (loadBalanced && seeds.size() > 1) {
            throw new IllegalArgumentException("loadBalanced=true: cannot be used with multiple hosts " + seeds);
        }
        if (replicaSetName != null && replicaSetName.isEmpty()) {
            throw new IllegalArgumentException("replicaSet: empty (expected the replica set name)");
        }
    }

    /**
     * @param seeds the seed list
     * @return settings that discover the deployment from the seeds (no replica set name, not direct)
     */
    public static TopologySettings discover(List<ServerAddress> seeds) {
        return new TopologySettings(seeds, false, null, false);
    }

    /**
     * Reads hosts, {@code directConnection}, {@code replicaSet} and {@code loadBalanced} from a URI. An absent
     * {@code directConnection} means false, as the SDAM specification requires of new clients.
     *
     * @param cs the parsed upstream URI
     * @return the settings
     * @throws IllegalArgumentException naming the option when the combination is not allowed
     */
    public static TopologySettings fromConnectionString(ConnectionString cs) {
        List<ServerAddress> seeds = new ArrayList<>();
        for (String h : cs.getHosts()) {
            seeds.add(ServerAddress.parse(h));
        }
        return new TopologySettings(seeds, Boolean.TRUE.equals(cs.isDirectConnection()),
                cs.getRequiredReplicaSetName(), Boolean.TRUE.equals(cs.isLoadBalanced()));
    }

    /** @return the type the topology starts in */
    public TopologyType initialType() {
        if (loadBalanced) {
            return TopologyType.LOAD_BALANCED;
        }
        if (directConnection) {
            return TopologyType.SINGLE;
        }
        return replicaSetName != null ? TopologyType.REPLICA_SET_NO_PRIMARY : TopologyType.UNKNOWN;
    }
}
