package dev.sluice.server.registry;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Canonical copies of the short strings many connections share (driver, appName, userAgent), so
 * 10,000 clients of one application hold one copy, not 10,000. Bounded: past the cap, strings are
 * kept as they are.
 */
final class Labels {
    private static final int MAX = 4096;
    private static final int MAX_LENGTH = 256;
    private static final ConcurrentHashMap<String, String> CANONICAL = new ConcurrentHashMap<>();

    private Labels() {
    }

    static String canonical(String s) {
        if (s == null || s.length() > MAX_LENGTH) {
            return s;
        }
        String known = CANONICAL.get(s);
        if (known != null) {
            return known;
        }
        if (CANONICAL.size() >= MAX) {
            return s;
        }
        String previous = CANONICAL.putIfAbsent(s, s);
        return previous != null ? previous : s;
    }
}
