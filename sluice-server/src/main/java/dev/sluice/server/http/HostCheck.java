package dev.sluice.server.http;

import io.netty.util.NetUtil;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which {@code Host} header values this connector answers (the defence against DNS rebinding: a
 * page served from {@code attacker.example} that re-resolves that name to Sluice's address still
 * sends {@code Host: attacker.example}). Accepted, case-insensitively:
 * <ul>
 *   <li>the address the connection reached, {@code ip:port} (for a wildcard bind, the connection's
 *       local address), and the bound name with its port when the connector was bound by name;</li>
 *   <li>{@code localhost}, {@code 127.0.0.1} and {@code [::1]} with the connector's port;</li>
 *   <li>a name of {@code httpAllowedHosts}, with any port or none (a port-mapping proxy in front of
 *       Sluice changes the port; a rebinding page cannot choose a name of that list).</li>
 * </ul>
 * Immutable, so one instance serves every connection.
 */
final class HostCheck {
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

    private final String boundName;
    private final List<String> allowedHosts;
    private final int defaultPort;

    /**
     * @param bind         the address given to bind (its host string is kept as given, e.g. a name)
     * @param allowedHosts extra names (lower case, without port): {@code httpAllowedHosts}
     */
    HostCheck(InetSocketAddress bind, List<String> allowedHosts) {
        this(bind, allowedHosts, HttpScheme.HTTP);
    }

    /** As above, for the connector of {@code scheme} (a Host without port means its default port). */
    HostCheck(InetSocketAddress bind, List<String> allowedHosts, HttpScheme scheme) {
        this.defaultPort = scheme.defaultPort();
        InetAddress address = bind.getAddress();
        this.boundName = address != null && address.isAnyLocalAddress() ? null : canonical(bind.getHostString());
        this.allowedHosts = allowedHosts.stream().map(HostCheck::canonical).toList();
    }

    /**
     * Null when {@code host} (a Host header value) names this connector for a connection that
     * reached {@code local}; else the reason it does not.
     */
    String refusal(String host, InetSocketAddress local) {
        String value = host.trim();
        String name;
        int port;
        int colon = value.lastIndexOf(':');
        if (colon > value.lastIndexOf(']')) {
            name = canonical(value.substring(0, colon));
            port = parsePort(value.substring(colon + 1));
        } else {
            name = canonical(value);
            port = defaultPort;
        }
        if (name.isEmpty() || port < 0) {
            return "Host '" + host + "' is not a valid host[:port]; Sluice answers only its own addresses"
                    + " and the names listed in httpAllowedHosts";
        }
        if (allowedHosts.contains(name)) {
            return null;
        }
        if (port == local.getPort() && (LOOPBACK_NAMES.contains(name) || name.equals(boundName)
                || name.equals(literal(local.getAddress())))) {
            return null;
        }
        return "Host '" + host + "' does not name this Sluice (it answers " + literal(local.getAddress()) + ":"
                + local.getPort() + ", localhost:" + local.getPort() + (boundName == null ? "" : ", " + boundName
                + ":" + local.getPort()) + (allowedHosts.isEmpty() ? "" : " and " + allowedHosts)
                + "); add the name to httpAllowedHosts in the YAML configuration to accept it";
    }

    private static int parsePort(String digits) {
        if (digits.isEmpty() || digits.length() > 5) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        int port = Integer.parseInt(digits);
        return port <= 65535 ? port : -1;
    }

    /** An address as a Host header names it: IPv6 in brackets, compressed (RFC 5952), without zone. */
    private static String literal(InetAddress address) {
        String text = NetUtil.toAddressString(address);
        int zone = text.indexOf('%');
        if (zone >= 0) {
            text = text.substring(0, zone);
        }
        return address instanceof Inet6Address ? "[" + text + "]" : text;
    }

    /** A host name or address literal (IPv6 with or without brackets) in the form {@link #literal} gives. */
    private static String canonical(String hostString) {
        String lower = hostString.toLowerCase(Locale.ROOT);
        String bare = lower.startsWith("[") && lower.endsWith("]") ? lower.substring(1, lower.length() - 1) : lower;
        byte[] v6 = NetUtil.isValidIpV6Address(bare) ? NetUtil.createByteArrayFromIpAddressString(bare) : null;
        if (v6 != null) {
            try {
                return literal(InetAddress.getByAddress(v6));
            } catch (java.net.UnknownHostException e) {
                return lower;
            }
        }
        return lower;
    }
}
