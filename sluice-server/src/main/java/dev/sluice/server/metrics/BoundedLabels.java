package dev.sluice.server.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a tag's cardinality bounded: the first {@code limit} distinct values are used as they are,
 * later ones become {@value #OTHER}. Values once admitted stay admitted, so a series never changes
 * name. Missing values become {@value #UNKNOWN}.
 */
final class BoundedLabels {
    static final String OTHER = "other";
    static final String UNKNOWN = "unknown";
    private static final int MAX_LENGTH = 64;

    private final int limit;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    BoundedLabels(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("label limit: " + limit + " (expected: >= 1)");
        }
        this.limit = limit;
    }

    String label(String value) {
        if (value == null || value.isBlank()) {
            return UNKNOWN;
        }
        String label = value.length() > MAX_LENGTH ? value.substring(0, MAX_LENGTH) : value;
        if (admitted.contains(label)) {
            return label;
        }
        synchronized (admitted) {
            if (admitted.size() < limit) {
                admitted.add(label);
                return label;
            }
        }
        return admitted.contains(label) ? label : OTHER;
    }
}
