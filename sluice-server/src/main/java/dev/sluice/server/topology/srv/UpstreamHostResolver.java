package dev.sluice.server.topology.srv;

import dev.sluice.server.net.Transport;
import io.netty.channel.EventLoop;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;

import java.net.InetSocketAddress;

/**
 * How upstream host names (the SRV records' targets, the hosts of a mongodb:// URI) become addresses when
 * {@code dnsServers} is set: Netty's DNS resolver asking those servers in order (A and AAAA records; the hosts file
 * first, as the system resolver does), each query bounded by dnsTimeoutMS. Without dnsServers the JDK's resolver is
 * used (null here), so an SRV name and its hosts are always looked up in the same place.
 */
public final class UpstreamHostResolver {

    private UpstreamHostResolver() {
    }

    /**
     * @param settings the DNS settings
     * @param sample   an event loop of the group that will connect (its transport decides the channel types)
     * @return a resolver group to close at shutdown, or null when no dnsServers are configured
     */
    public static AddressResolverGroup<InetSocketAddress> of(SrvSettings settings, EventLoop sample) {
        if (settings.dnsServers().isEmpty()) {
            return null;
        }
        Transport transport = Transport.of(sample);
        DnsNameResolverBuilder builder = new DnsNameResolverBuilder()
                .datagramChannelType(transport.datagramChannel())
                .socketChannelType(transport.clientChannel())
                .nameServerProvider(new SequentialDnsServerAddressStreamProvider(settings.dnsServers()))
                .queryTimeoutMillis(Math.max(1, settings.dnsTimeoutMS() / settings.dnsServers().size()));
        return new DnsAddressResolverGroup(builder);
    }
}
