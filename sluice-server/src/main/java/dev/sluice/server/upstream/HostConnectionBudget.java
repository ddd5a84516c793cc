package dev.sluice.server.upstream;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * maxConnectionsPerHost: the pooled connections one host may hold over all its pools (Sluice's own and every
 * user's, with {@code security.userSource: cluster}); each pool keeps its own maxPoolSize too. A slot is taken
 * before a connection is opened and given back when its channel closes. Thread-safe, lock-free.
 */
final class HostConnectionBudget {
    private final String host;
    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    /** @param max the bound; 0 means none */
    HostConnectionBudget(String host, int max) {
        this.host = host;
        this.max = max;
    }

    /** Takes a slot; false when the host is at its bound. */
    boolean tryAcquire() {
        while (true) {
            int now = open.get();
            if (max > 0 && now >= max) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void release() {
        open.decrementAndGet();
    }

    int open() {
        return open.get();
    }

    /** The error of an open refused at the bound, with the live figures. */
    UpstreamException exhausted() {
        return new UpstreamException(UpstreamException.Kind.POOL_TIMEOUT, host, "no new connection to upstream " + host
                + ": the host holds " + open.get() + " pooled connections over all users' pools, the most "
                + "maxConnectionsPerHost=" + max + " allows; raise maxConnectionsPerHost, or lower maxPoolSize or "
                + "maxIdleTimeMS so that idle users' connections close sooner");
    }
}
