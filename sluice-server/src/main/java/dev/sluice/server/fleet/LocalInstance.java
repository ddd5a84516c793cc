package dev.sluice.server.fleet;

/** What the fleet needs from this Sluice: its figures, and a way to size its pools. */
public interface LocalInstance {
    /** Client connections open now. */
    int clients();

    /** Pooled backend connections open now, all hosts. */
    int backendConnections();

    /** The most pooled connections open now to any one host (a socket counts until the kernel has closed it). */
    int maxOpenPerHost();

    /** Whether this Sluice is draining. */
    boolean draining();

    /** The maxPoolSize configured for each host (0 = unbounded). */
    int configuredMaxPoolSize();

    /** The fewest pooled connections per host this Sluice can run with (one per event-loop lane). */
    int minPooledPerHost();

    /** Monitoring connections this Sluice keeps per upstream host. */
    int monitorsPerHost();

    /** Sets every host's pool maximum (and the maximum of pools created later). */
    void resizePools(int maxPoolSize);

    /**
     * Shrinks every host's pools to {@link #minPooledPerHost()} and waits, at most {@code timeoutMS}, until no host
     * has more pooled sockets open than that (closed in the kernel, not only out of the pools' count).
     *
     * @return false when some host still had more at the deadline
     */
    boolean shrinkToMinimum(long timeoutMS);
}
