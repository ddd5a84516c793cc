package dev.sluice.pool;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reads the pool options out of a MongoDB connection string's query. */
final class ConnectionStringOptions {

    private ConnectionStringOptions() {
    }

    static void apply(String uri, PoolSettings.Builder builder) {
        if (uri == null || !(uri.startsWith("mongodb://") || uri.startsWith("mongodb+srv://"))) {
            throw new IllegalArgumentException("connection string: " + describe(uri)
                    + " (expected: a URI starting with mongodb:// or mongodb+srv://)");
        }
        int q = uri.indexOf('?');
        if (q < 0 || q == uri.length() - 1) {
            return;
        }
        for (String pair : uri.substring(q + 1).split("[&;]")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            switch (key) {
                case "maxpoolsize" -> builder.maxPoolSize((int) parse("maxPoolSize", value, 0, Integer.MAX_VALUE));
                case "minpoolsize" -> builder.minPoolSize((int) parse("minPoolSize", value, 0, Integer.MAX_VALUE));
                case "maxconnecting" -> builder.maxConnecting((int) parse("maxConnecting", value, 1, Integer.MAX_VALUE));
                case "maxidletimems" -> builder.maxIdleTimeMS(parse("maxIdleTimeMS", value, 0, Long.MAX_VALUE));
                case "waitqueuetimeoutms" ->
                        builder.waitQueueTimeoutMS(parse("waitQueueTimeoutMS", value, 0, Long.MAX_VALUE));
                default -> {
                    // not a pool option: other components read it
                }
            }
        }
    }

    private static long parse(String option, String value, long min, long max) {
        String range = max == Integer.MAX_VALUE ? "an integer >= " + min + " and <= " + max : "an integer >= " + min;
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + value + "' is not an integer (expected: " + range + ")");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(option + ": " + parsed + " (expected: " + range + ")");
        }
        return parsed;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String describe(String uri) {
        if (uri == null) {
            return "null";
        }
        int at = uri.indexOf('@');
        // never print credentials
        return at < 0 ? "'" + uri + "'" : "'<scheme and credentials hidden>" + uri.substring(at) + "'";
    }
}
