package dev.sluice.server.admin;

import dev.sluice.server.topology.TopologyDescription;
import dev.sluice.server.upstream.HostPoolStats;
import dev.sluice.server.upstream.PoolDirectory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A PoolDirectory for tests: pools are set by hand, drops are recorded and clear the host's idle connections. */
public final class FakePoolDirectory implements PoolDirectory {
    private final Map<String, HostPoolStats> hosts = new TreeMap<>();
    private final List<String> dropCalls = new CopyOnWriteArrayList<>();
    private volatile TopologyDescription topology = TopologyDescription.empty();

    /** Sets the topology description {@link #topology()} reports. */
    public FakePoolDirectory topology(TopologyDescription description) {
        this.topology = description;
        return this;
    }

    @Override
    public TopologyDescription topology() {
        return topology;
    }

    /** Adds or replaces a host's figures (created = inUse + available, generation 1, state ready). */
    public synchronized FakePoolDirectory host(String host, int inUse, int available, int refreshing,
                                               int maxPoolSize, int waitQueueSize) {
        hosts.put(host, new HostPoolStats(host, inUse, available, refreshing, inUse + available, 0, maxPoolSize,
                waitQueueSize, 0, 0, 1, "ready"));
        return this;
    }

    public synchronized FakePoolDirectory host(HostPoolStats stats) {
        hosts.put(stats.host(), stats);
        return this;
    }

    @Override
    public synchronized List<HostPoolStats> statistics() {
        return new ArrayList<>(hosts.values());
    }

    @Override
    public synchronized boolean drop(String hostAndPort) {
        dropCalls.add(hostAndPort);
        HostPoolStats s = hosts.get(hostAndPort);
        if (s == null) {
            return false;
        }
        hosts.put(hostAndPort, new HostPoolStats(s.host(), s.inUse(), 0, s.refreshing(), s.created(),
                s.closed() + s.available(), s.maxPoolSize(), s.waitQueueSize(), s.waitQueueTimeouts(), s.clears() + 1,
                s.generation() + 1, s.state()));
        return true;
    }

    /** Every host passed to {@link #drop}, in call order (including hosts without a pool). */
    public List<String> dropCalls() {
        return List.copyOf(dropCalls);
    }
}
