package dev.sluice.server.topology.srv;

import java.util.List;

/**
 * The records of one type a DNS server returned for a name, decoded.
 *
 * @param records       the decoded records, in the answer's order (empty when the name has none)
 * @param minTtlSeconds the smallest TTL among them, or -1 when there are none
 * @param rcode         the response code (NoError, NXDomain), to say why there is nothing
 * @param server        the server that answered, "host:port"
 */
record DnsAnswer<T>(List<T> records, long minTtlSeconds, String rcode, String server) {

    DnsAnswer {
        records = List.copyOf(records);
    }
}
