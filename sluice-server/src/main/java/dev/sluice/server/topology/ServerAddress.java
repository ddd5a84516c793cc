package dev.sluice.server.topology;

import java.util.Locale;

/**
 * The address a monitor or pool connects to: a lower-cased host name or IP and a port. Host names are normalized
 * to lower case, as SDAM requires for seeds and for the {@code me}, {@code hosts}, {@code passives},
 * {@code arbiters} and {@code primary} fields of hello replies.
 *
 * @param host the host name or IP literal (IPv6 without brackets), lower case
 * @param port the port, 0..65535
 */
public record ServerAddress(String host, int port) {

    /** MongoDB's default port, used when an address names none. */
    public static final int DEFAULT_PORT = 27017;

    public ServerAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("server address: empty host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("server address " + host + ": port " + port + " (expected: 0..65535)");
        }
        host = host.toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}; the port defaults to 27017.
     *
     * @param value the text, for example {@code "db1.example.net:27018"}
     * @return the address, host lower-cased
     * @throws IllegalArgumentException naming the text when it is not an address
     */
    public static ServerAddress parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("server address: empty (expected HOST[:PORT])");
        }
        String v = value.trim();
        String host;
        String port = null;
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("server address '" + value + "': missing ']' (expected [IPv6]:PORT)");
            }
            host = v.substring(1, end);
            if (end + 1 < v.length()) {
                if (v.charAt(end + 1) != ':') {
                    throw new IllegalArgumentException("server address '" + value + "' (expected [IPv6]:PORT)");
                }
                port = v.substring(end + 2);
            }
        } else {
            int colon = v.lastIndexOf(':');
            if (colon >= 0 && v.indexOf(':') == colon) {
                host = v.substring(0, colon);
                port = v.substring(colon + 1);
            } else {
                host = v; // no port, or a bare IPv6 literal
            }
        }
        int p = DEFAULT_PORT;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("server address '" + value + "': port is not a number "
                        + "(expected HOST:PORT with PORT in 0..65535)");
            }
        }
        return new ServerAddress(host, p);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
