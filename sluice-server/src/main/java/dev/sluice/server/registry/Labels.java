package dev.sluice.server.registry;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Canonical copies of the short strings many connections share (driver, appName, userAgent), so
 * 10,000 clients of one application hold one copy, not 10,000. Bounded: past the cap, strings are
 * kept as they are. Every label is cut to {@value #MAX_STORED} characters: what a connection stores
 * about itself is bounded whatever a peer sends.
 */
final class Labels {
    private static final int MAX = 4096;
    private static final int MAX_LENGTH = 256;
    /** Longest label kept per connection (a longer one is cut and marked with an ellipsis). */
    static final int MAX_STORED = 512;
    private static final ConcurrentHashMap<String, String> CANONICAL = new ConcurrentHashMap<>();

    private Labels() {
    }

    static String canonical(String s) {
        if (s != null && s.length() > MAX_STORED) {
            return s.substring(0, MAX_STORED - 1) + "\u2026";
        }
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
