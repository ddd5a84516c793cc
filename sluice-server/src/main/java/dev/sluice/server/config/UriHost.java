package dev.sluice.server.config;

import java.util.Locale;

/**
 * One host of a connection string's host list.
 *
 * @param type what the host is: an IPv4 address, a bracketed IP literal, a hostname or a Unix domain socket path
 * @param host the host without brackets or port (a socket path is percent-decoded)
 * @param port the port given in the URI, or null when none was given (never set for a Unix socket)
 */
public record UriHost(Type type, String host, Integer port) {

    /** The default MongoDB port, used when the URI names none. */
    public static final int DEFAULT_PORT = 27017;

    /** Host kinds, named as in the connection-string spec tests ("ipv4", "ip_literal", "hostname", "unix"). */
    public enum Type {
        IPV4, IP_LITERAL, HOSTNAME, UNIX;

        public String specName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public UriHost {
        if (type == null || host == null || host.isEmpty()) {
            throw new IllegalArgumentException("type and host are required");
        }
        if (port != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
        }
    }

    /** The port, or 27017 when the URI gave none. */
    public int portOrDefault() {
        return port == null ? DEFAULT_PORT : port;
    }

    /** The host as a TCP address (not for Unix sockets). */
    public HostAndPort toHostAndPort() {
        if (type == Type.UNIX) {
            throw new IllegalStateException("'" + host + "' is a Unix domain socket, not a TCP address");
        }
        return new HostAndPort(host, portOrDefault());
    }

    @Override
    public String toString() {
        if (type == Type.UNIX) {
            return host;
        }
        String h = type == Type.IP_LITERAL ? "[" + host + "]" : host;
        return port == null ? h : h + ":" + port;
    }
}
