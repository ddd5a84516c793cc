package dev.sluice.server.topology.srv;

import dev.sluice.server.config.ConfigException;
import dev.sluice.server.config.HostAndPort;
import dev.sluice.server.config.Ranges;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@code mongodb+srv://} names are looked up (immutable, validated on construction).
 *
 * @param dnsServers   the DNS servers asked, in order (the next one when one fails or does not answer); empty means
 *                     the system's resolvers ({@code /etc/resolv.conf} on Unix). YAML key {@code dnsServers}, each
 *                     {@code IP[:PORT]} (port 53 by default)
 * @param dnsTimeoutMS the most one look-up (SRV or TXT) may take, over all the servers asked; each server gets its
 *                     share (default 5,000 ms; 100..60,000). YAML key {@code dnsTimeoutMS}
 */
public record SrvSettings(List<InetSocketAddress> dnsServers, long dnsTimeoutMS) {

    public static final long DEFAULT_DNS_TIMEOUT_MS = 5_000;
    public static final int DEFAULT_DNS_PORT = 53;

    public SrvSettings {
        dnsServers = List.copyOf(dnsServers);
        Ranges.check("dnsTimeoutMS", dnsTimeoutMS, 100, 60_000);
        for (InetSocketAddress a : dnsServers) {
            if (a.isUnresolved()) {
                throw new ConfigException("dnsServers: '" + a.getHostString() + "' is not an IP address"
                        + " (expected IP[:PORT], e.g. 10.0.0.2:53)");
            }
        }
    }

    /** The system's resolvers and a 5 s timeout. */
    public static SrvSettings defaults() {
        return new SrvSettings(List.of(), DEFAULT_DNS_TIMEOUT_MS);
    }

    /**
     * Builds the settings from the configuration's values.
     *
     * @param dnsServers   {@code IP}, {@code IP:PORT} or {@code [IPv6]:PORT} values, or null/empty for the system's
     * @param dnsTimeoutMS the timeout, or null for the default
     * @throws ConfigException naming the setting when a value is not allowed
     */
    public static SrvSettings of(List<String> dnsServers, Long dnsTimeoutMS) {
        List<InetSocketAddress> servers = new ArrayList<>();
        if (dnsServers != null) {
            for (String s : dnsServers) {
                servers.add(server(s));
            }
        }
        return new SrvSettings(servers, dnsTimeoutMS == null ? DEFAULT_DNS_TIMEOUT_MS : dnsTimeoutMS);
    }

    private static InetSocketAddress server(String value) {
        String v = value == null ? "" : value.trim();
        HostAndPort hp = NetUtil.isValidIpV4Address(v) || NetUtil.isValidIpV6Address(v)
                ? new HostAndPort(v, DEFAULT_DNS_PORT) : HostAndPort.parse(v, "dnsServers");
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(hp.host());
        if (ip == null) {
            throw new ConfigException("dnsServers: '" + value + "' is not an IP address (expected IP[:PORT],"
                    + " e.g. 10.0.0.2:53)");
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), hp.port());
        } catch (UnknownHostException e) {
            throw new ConfigException("dnsServers: '" + value + "': " + e.getMessage(), e);
        }
    }
}
