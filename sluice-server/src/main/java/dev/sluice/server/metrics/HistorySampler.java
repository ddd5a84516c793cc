package dev.sluice.server.metrics;

import dev.sluice.server.registry.ConnectionRegistry;
import dev.sluice.server.upstream.HostPoolStats;
import dev.sluice.server.upstream.PoolDirectory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The last minutes of connection counts for the dashboard's chart: a fixed ring buffer of
 * window / resolution points (10 min at 2 s: 300), filled by {@link #sample()}, which the server
 * schedules every {@code resolution}. Thread-safe (one lock, held for a copy at most).
 */
public final class HistorySampler {
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
    public static final Duration DEFAULT_RESOLUTION = Duration.ofSeconds(2);
    /** Both mongodb connectors: the router face and the load-balanced face share maxIncomingConnections. */
    private static final String CLIENT_CONNECTOR = "mongodb";
    private static final String LOAD_BALANCED_CONNECTOR = "mongodb-lb";

    private final ConnectionRegistry registry;
    private final PoolDirectory pools;
    private final Clock clock;
    private final Duration window;
    private final Duration resolution;
    private final HistoryPoint[] ring;
    private int next;
    private int size;

    public HistorySampler(ConnectionRegistry registry, PoolDirectory pools, Clock clock) {
        this(registry, pools, clock, DEFAULT_WINDOW, DEFAULT_RESOLUTION);
    }

    public HistorySampler(ConnectionRegistry registry, PoolDirectory pools, Clock clock, Duration window,
                          Duration resolution) {
        if (resolution.isNegative() || resolution.isZero()) {
            throw new IllegalArgumentException("history resolution: " + resolution + " (expected: > 0)");
        }
        if (window.compareTo(resolution) < 0) {
            throw new IllegalArgumentException("history window: " + window + " (expected: >= resolution "
                    + resolution + ")");
        }
        this.registry = registry;
        this.pools = pools;
        this.clock = clock;
        this.window = window;
        this.resolution = resolution;
        this.ring = new HistoryPoint[(int) (window.toMillis() / resolution.toMillis())];
    }

    /** Records the figures now; the oldest point goes once the window is full. */
    public HistoryPoint sample() {
        int inUse = 0;
        int available = 0;
        for (HostPoolStats host : pools.statistics()) {
            inUse += host.inUse();
            available += host.available();
        }
        HistoryPoint point = new HistoryPoint(clock.instant(), registry.currentCount(CLIENT_CONNECTOR) + registry.currentCount(LOAD_BALANCED_CONNECTOR), inUse,
                available);
        synchronized (ring) {
            ring[next] = point;
            next = (next + 1) % ring.length;
            size = Math.min(size + 1, ring.length);
        }
        return point;
    }

    /** The points held, oldest first. */
    public List<HistoryPoint> points() {
        synchronized (ring) {
            List<HistoryPoint> points = new ArrayList<>(size);
            int start = (next - size + ring.length) % ring.length;
            for (int i = 0; i < size; i++) {
                points.add(ring[(start + i) % ring.length]);
            }
            return points;
        }
    }

    public int capacity() {
        return ring.length;
    }

    public Duration window() {
        return window;
    }

    public Duration resolution() {
        return resolution;
    }
}
