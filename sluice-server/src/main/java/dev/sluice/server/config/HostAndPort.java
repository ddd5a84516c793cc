package dev.sluice.server.config;

import java.net.InetSocketAddress;

/** A "host:port" pair, validated when parsed. */
public record HostAndPort(String host, int port) {

    public HostAndPort {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
    }

    /**
     * Parses "host:port", "[v6]:port" or "port".
     *
     * @param option the name of the option being parsed, for the error message
     */
    public static HostAndPort parse(String value, String option) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(option + ": empty (expected HOST:PORT, e.g. 127.0.0.1:27016)");
        }
        String v = value.trim();
        String host;
        String port;
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            if (end < 0 || end + 1 >= v.length() || v.charAt(end + 1) != ':') {
                throw new ConfigException(option + ": '" + value + "' (expected [IPv6]:PORT)");
            }
            host = v.substring(1, end);
            port = v.substring(end + 2);
        } else {
            int colon = v.lastIndexOf(':');
            if (colon < 0) {
                host = "127.0.0.1";
                port = v;
            } else {
                host = v.substring(0, colon);
                port = v.substring(colon + 1);
            }
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new ConfigException(option + ": '" + value + "' has no valid port (expected HOST:PORT with PORT in 0..65535)");
        }
        if (p < 0 || p > 65535 || host.isBlank()) {
            throw new ConfigException(option + ": '" + value + "' (expected HOST:PORT with PORT in 0..65535)");
        }
        return new HostAndPort(host, p);
    }

    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
