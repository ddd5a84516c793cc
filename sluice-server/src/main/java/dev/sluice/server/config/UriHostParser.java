package dev.sluice.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the host list of a connection string (the part between the userinfo and the first '/' or '?'). */
final class UriHostParser {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+(%[^\\]]+)?");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    private UriHostParser() {
    }

    static List<UriHost> parse(String hostList) {
        List<UriHost> hosts = new ArrayList<>();
        for (String entry : hostList.split(",", -1)) {
            hosts.add(parseOne(entry));
        }
        return List.copyOf(hosts);
    }

    private static UriHost parseOne(String entry) {
        if (entry.isEmpty()) {
            throw new ConfigException("connection string: empty host in the host list (hosts are separated by ',')");
        }
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                throw new ConfigException("connection string: host '" + entry + "' has no closing ']'");
            }
            String literal = entry.substring(1, close);
            if (!IP_LITERAL.matcher(literal).matches() || literal.indexOf(':') < 0) {
                throw new ConfigException("connection string: '[" + literal + "]' is not an IPv6 literal");
            }
            String rest = entry.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new ConfigException("connection string: unexpected '" + rest + "' after '[" + literal + "]'");
            }
            // RFC 6874: a zone id is written "%25zone" inside the brackets
            String address = PercentDecoding.decode(literal, "IP literal '[" + literal + "]'");
            return new UriHost(UriHost.Type.IP_LITERAL, address, rest.isEmpty() ? null : port(entry, rest.substring(1)));
        }
        int colon = entry.indexOf(':');
        String rawHost = colon < 0 ? entry : entry.substring(0, colon);
        Integer port = colon < 0 ? null : port(entry, entry.substring(colon + 1));
        String host = PercentDecoding.decode(rawHost, "host '" + rawHost + "'");
        if (host.isEmpty()) {
            throw new ConfigException("connection string: host '" + entry + "' has no host name before the port");
        }
        // a socket is a path: it holds a '/' once decoded ("mongodb-27017.sock" alone is a host name)
        if (host.endsWith(".sock") && host.indexOf('/') >= 0) {
            if (port != null) {
                throw new ConfigException("connection string: Unix domain socket '" + host + "' cannot have a port");
            }
            return new UriHost(UriHost.Type.UNIX, host, null);
        }
        if (host.indexOf('/') >= 0) {
            throw new ConfigException("connection string: host '" + host + "' contains '/'; a Unix domain socket path"
                    + " must end in '.sock' and be percent-encoded (e.g. %2Ftmp%2Fmongodb-27017.sock)");
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c <= ' ' || c == 0x7f || "@[]\\?#%".indexOf(c) >= 0) {
                throw new ConfigException("connection string: host '" + host + "' contains the character '" + c
                        + "', which a host name cannot hold");
            }
        }
        return new UriHost(isIpv4(host) ? UriHost.Type.IPV4 : UriHost.Type.HOSTNAME, host, port);
    }

    private static Integer port(String entry, String port) {
        if (!PORT.matcher(port).matches()) {
            throw new ConfigException("connection string: host '" + entry + "' has an invalid port '" + port
                    + "' (expected: 1..65535)");
        }
        int p = Integer.parseInt(port);
        if (p < 1 || p > 65535) {
            throw new ConfigException("connection string: host '" + entry + "' has port " + p + " (expected: 1..65535)");
        }
        return p;
    }

    private static boolean isIpv4(String host) {
        Matcher m = IPV4.matcher(host);
        if (!m.matches()) {
            return false;
        }
        for (int g = 1; g <= 4; g++) {
            if (Integer.parseInt(m.group(g)) > 255) {
                return false;
            }
        }
        return true;
    }
}
