package dev.sluice.server.admin;

import java.util.Optional;

/** Parses the "host:port" strings of {@code dropConnections}; anything else is not a host. */
final class HostAndPort {
    private HostAndPort() {
    }

    /**
     * @return {@code text} itself (the pool directory matches it as given), or empty when it is not a
     *         host name or IP literal followed by a port in 1..65535 ("[::1]:27017" for IPv6)
     */
    static Optional<String> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return Optional.empty();
        }
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        if (!validHost(host) || !validPort(port)) {
            return Optional.empty();
        }
        return Optional.of(text);
    }

    private static boolean validHost(String host) {
        if (host.startsWith("[")) {
            return host.endsWith("]") && host.length() > 2 && host.indexOf(':') > 0;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean validPort(String port) {
        if (port.length() > 5) {
            return false;
        }
        for (int i = 0; i < port.length(); i++) {
            if (port.charAt(i) < '0' || port.charAt(i) > '9') {
                return false;
            }
        }
        int value = Integer.parseInt(port);
        return value >= 1 && value <= 65535;
    }
}
