package dev.sluice.server.topology.srv;

import dev.sluice.server.config.UriOption;
import dev.sluice.server.config.UriOptions;
import dev.sluice.server.topology.ServerAddress;

import java.util.List;

/**
 * What a {@code mongodb+srv://} URI stands for once DNS has answered: the seed list and the default options of the
 * TXT record, with the URI's own options winning over those.
 *
 * @param query   what was asked
 * @param seeds   the seed list: all SRV hosts, or srvMaxHosts of them chosen at random
 * @param records the SRV look-up (every verified host, the smallest TTL: the monitor starts from it)
 * @param txt     the TXT record's options ({@link TxtOptions#NONE} when there is no TXT record)
 */
public record SrvResolution(SrvQuery query, List<ServerAddress> seeds, SrvRecords records, TxtOptions txt) {

    public SrvResolution {
        seeds = List.copyOf(seeds);
    }

    /** authSource: the URI's, else the TXT record's, else null. */
    public String authSource() {
        UriOptions o = query.uriOptions();
        return o != null && o.has(UriOption.AUTH_SOURCE) ? o.string(UriOption.AUTH_SOURCE) : txt.authSource();
    }

    /** replicaSet: the URI's, else the TXT record's, else null. */
    public String replicaSet() {
        UriOptions o = query.uriOptions();
        return o != null && o.has(UriOption.REPLICA_SET) ? o.string(UriOption.REPLICA_SET) : txt.replicaSet();
    }

    /** loadBalanced: the URI's, else the TXT record's, else false. */
    public boolean loadBalanced() {
        UriOptions o = query.uriOptions();
        if (o != null && o.has(UriOption.LOAD_BALANCED)) {
            return o.bool(UriOption.LOAD_BALANCED);
        }
        return txt.loadBalanced() != null && txt.loadBalanced();
    }
}
