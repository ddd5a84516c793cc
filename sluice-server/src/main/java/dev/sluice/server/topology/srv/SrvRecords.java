package dev.sluice.server.topology.srv;

import dev.sluice.server.topology.ServerAddress;

import java.util.List;

/**
 * The hosts an SRV look-up returned, verified against the SRV name's parent domain.
 *
 * @param srvName       the name asked ({@code _mongodb._tcp.cluster0.example.net})
 * @param hosts         the verified hosts (target:port, lower case), in the answer's order, without duplicates
 * @param refused       why each refused host was refused (outside the parent domain); empty when none was
 * @param minTtlSeconds the smallest TTL of the SRV records, or -1 when there were none
 * @param rcode         the DNS response code (NoError, NXDomain), to say why there may be nothing
 */
public record SrvRecords(String srvName, List<ServerAddress> hosts, List<String> refused, long minTtlSeconds,
                         String rcode) {

    public SrvRecords {
        hosts = List.copyOf(hosts);
        refused = List.copyOf(refused);
    }
}
