package dev.sluice.server.config;

/**
 * Fits {@code maxIncomingConnections} into the process's open-file limit, keeping room for what
 * Sluice itself needs: backend connections (and, with the embedded backend, their other ends in
 * this same process), the HTTP connector's connections, and its own files (jars, logs, event-loop
 * selectors). Without that room, a flood of idle clients would make {@code accept} and every new
 * upstream connection fail with "Too many open files".
 *
 * @param openFileLimit          the process's limit (ulimit -n), or -1 when unknown
 * @param reservedForSluice      descriptors kept for Sluice's own use
 * @param effectiveMaxIncoming   the client limit to use
 * @param lowered                true when it is below the configured value
 */
public record DescriptorBudget(long openFileLimit, long reservedForSluice, int effectiveMaxIncoming, boolean lowered) {
    /** Sluice's own files: jars, log, epoll/eventfd pairs of each event loop, the server sockets. */
    static final int OWN_FILES = 128;
    /** Counted for a host when its maxPoolSize is 0 (unbounded). */
    static final int UNBOUNDED_POOL_ESTIMATE = 500;

    /**
     * @param openFileLimit   ulimit -n, or -1 when it cannot be read (then nothing is changed)
     * @param upstreamHosts   hosts in the upstream seed list
     * @param maxPoolSize     per host (0 = unbounded)
     * @param embedded        the backend runs in this process (each backend connection costs two descriptors)
     * @param httpConnections the HTTP connector's limit (0 when it is off)
     * @throws ConfigException when the operator set maxIncomingConnections explicitly and it does not fit,
     *                         or when nothing fits at all
     */
    public static DescriptorBudget fit(long openFileLimit, int maxIncoming, boolean explicit, int upstreamHosts,
                                       int maxPoolSize, boolean embedded, int httpConnections) {
        if (openFileLimit <= 0) {
            return new DescriptorBudget(openFileLimit, 0, maxIncoming, false);
        }
        long perHost = (maxPoolSize == 0 ? UNBOUNDED_POOL_ESTIMATE : maxPoolSize) + 2L; // + monitor and RTT connections
        long upstream = perHost * upstreamHosts * (embedded ? 2 : 1);
        long reserved = upstream + httpConnections + OWN_FILES;
        long room = openFileLimit - reserved;
        if (room >= maxIncoming) {
            return new DescriptorBudget(openFileLimit, reserved, maxIncoming, false);
        }
        String why = "the open-file limit is " + openFileLimit + " (ulimit -n) and Sluice keeps " + reserved
                + " of them for itself (" + upstream + " upstream, " + httpConnections + " HTTP, " + OWN_FILES + " own files)";
        if (room < 1) {
            throw new ConfigException("maxIncomingConnections: no room for any client connection: " + why
                    + "; raise ulimit -n");
        }
        if (explicit) {
            throw new ConfigException("maxIncomingConnections: " + maxIncoming + " does not fit: " + why
                    + "; raise ulimit -n to at least " + (reserved + maxIncoming)
                    + " or set maxIncomingConnections to at most " + room);
        }
        return new DescriptorBudget(openFileLimit, reserved, (int) room, true);
    }

    /** The process's open-file limit, or -1 when the platform does not tell. */
    public static long processOpenFileLimit() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }
}
