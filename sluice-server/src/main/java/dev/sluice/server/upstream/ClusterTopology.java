package dev.sluice.server.upstream;

import dev.sluice.server.topology.ApplicationError;
import dev.sluice.server.topology.ErrorKind;
import dev.sluice.server.topology.ServerAddress;
import dev.sluice.server.topology.ServerDescription;
import dev.sluice.server.topology.Topology;
import dev.sluice.server.topology.TopologyAction;
import dev.sluice.server.topology.TopologyDescription;
import dev.sluice.server.topology.TopologyUpdate;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs the SDAM state machine ({@link Topology}) against real monitors and pools: feeds it what monitors and the
 * request path see, and carries out every update's actions, in order, before the next event is fed (one lock for
 * both): StartMonitoring starts a {@link ServerMonitor} (and creates the host's pool, paused), StopMonitoring stops
 * it and closes the pool, ClearPool clears the pool (so its generation stays the topology's), MarkPoolReady readies
 * it, RequestImmediateCheck and CancelInProgressCheck go to the monitor. Operations waiting for a server are woken
 * after each significant change.
 */
final class ClusterTopology implements MonitorSink {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterTopology.class);

    private final Topology topology;
    private final TopologyLog log;
    private final Object lock = new Object();
    private final Map<ServerAddress, HostPool> pools = new ConcurrentHashMap<>();
    private final Map<ServerAddress, ServerMonitor> monitors = new ConcurrentHashMap<>();
    private final Function<ServerAddress, HostPool> newPool;
    private final Function<ServerAddress, ServerMonitor> newMonitor;
    private final SelectionWaiters waiters;
    private final Consumer<BsonDocument> helloSeen;
    private volatile boolean open;

    /**
     * @param helloSeen told every successful hello reply a monitor gets (the features Sluice advertises)
     */
    ClusterTopology(Topology topology, TopologyLog log, Function<ServerAddress, HostPool> newPool,
                    Function<ServerAddress, ServerMonitor> newMonitor, SelectionWaiters waiters,
                    Consumer<BsonDocument> helloSeen) {
        this.topology = topology;
        this.log = log;
        this.newPool = newPool;
        this.newMonitor = newMonitor;
        this.waiters = waiters;
        this.helloSeen = helloSeen;
    }

    TopologyDescription description() {
        return topology.description();
    }

    /** True between {@link #open} and {@link #close}: servers may be selected. */
    boolean isOpen() {
        return open;
    }

    HostPool pool(ServerAddress address) {
        return pools.get(address);
    }

    Collection<HostPool> pools() {
        return pools.values();
    }

    /** Monitoring connections opened so far, all monitors together. */
    long monitorConnectionsOpened() {
        long n = 0;
        for (ServerMonitor m : monitors.values()) {
            n += m.connectionsOpened();
        }
        return n;
    }

    /** Monitoring connections open now, all monitors together. */
    int monitorConnectionsOpen() {
        int n = 0;
        for (ServerMonitor m : monitors.values()) {
            n += m.connectionsOpen();
        }
        return n;
    }

    /** Opens the topology: a monitor (and a paused pool) per seed. */
    void open() {
        feed(topology::open);
        open = true;
    }

    /** Operations are waiting for a server: every monitor checks soon (at most every 500 ms each). */
    void requestImmediateChecks() {
        for (ServerMonitor m : monitors.values()) {
            m.requestImmediateCheck();
        }
    }

    @Override
    public void onHello(ServerAddress address, BsonDocument reply, double rttMillis) {
        if (BackendHandshake.isOk(reply)) {
            helloSeen.accept(reply);
        }
        feed(() -> topology.onHello(address, reply, rttMillis));
    }

    @Override
    public void onStreamedHello(ServerAddress address, BsonDocument reply) {
        if (BackendHandshake.isOk(reply)) {
            helloSeen.accept(reply);
        }
        feed(() -> topology.onStreamedHello(address, reply));
    }

    @Override
    public void onRttSample(ServerAddress address, double rttMillis) {
        feed(() -> topology.onRttSample(address, rttMillis));
    }

    @Override
    public void onCheckFailed(ServerAddress address, ErrorKind kind, String message) {
        feed(() -> topology.onCheckFailed(address, kind, message));
    }

    /** An error on an application connection (network, timeout, or a state change reply). */
    void onApplicationError(ServerAddress address, ApplicationError error) {
        feed(() -> topology.onError(address, error));
    }

    /**
     * An operator dropped a host's connections: the clear goes through the topology so generations stay in step,
     * and the pool keeps serving (the server's description does not change).
     *
     * @return false when the host is not in the topology
     */
    boolean clearPool(ServerAddress address, String reason) {
        if (topology.description().server(address) == null) {
            return false;
        }
        feed(() -> topology.clearPool(address, reason));
        return true;
    }

    /**
     * An SRV rescan changed the mongos list: new hosts are monitored (Unknown until checked), hosts gone from DNS are
     * removed with their monitor and pool. Ignored unless the topology is Sharded or Unknown.
     */
    void updateFromSrv(List<ServerAddress> added, List<ServerAddress> removed) {
        feed(() -> topology.updateFromSrv(added, removed));
    }

    /** Closes the topology: every monitor stopped, every pool closed. */
    void close() {
        open = false;
        log.closing();
        feed(topology::close);
        for (ServerMonitor m : new ArrayList<>(monitors.values())) {
            m.close();
        }
        monitors.clear();
        for (HostPool p : new ArrayList<>(pools.values())) {
            p.close();
        }
        waiters.changed();
    }

    private void feed(Supplier<TopologyUpdate> event) {
        TopologyUpdate update;
        boolean ready;
        synchronized (lock) {
            update = event.get();
            ready = apply(update);
        }
        if (update.changed() || ready) {
            waiters.changed();
        }
    }

    /** @return true when a pool was marked ready (a server became usable) */
    private boolean apply(TopologyUpdate update) {
        boolean ready = false;
        List<TopologyAction> actions = update.actions();
        for (TopologyAction action : actions) {
            ServerAddress a = action.address();
            if (action instanceof TopologyAction.StartMonitoring) {
                pools.computeIfAbsent(a, newPool);
                monitors.computeIfAbsent(a, address -> {
                    ServerMonitor m = newMonitor.apply(address);
                    m.start();
                    return m;
                });
            } else if (action instanceof TopologyAction.StopMonitoring) {
                ServerMonitor m = monitors.remove(a);
                if (m != null) {
                    m.close();
                }
                HostPool p = pools.remove(a);
                if (p != null) {
                    p.close();
                }
            } else if (action instanceof TopologyAction.ClearPool c) {
                clear(update, c);
            } else if (action instanceof TopologyAction.MarkPoolReady) {
                pools.computeIfAbsent(a, newPool).ready();
                ready = true;
            } else if (action instanceof TopologyAction.RequestImmediateCheck) {
                ServerMonitor m = monitors.get(a);
                if (m != null) {
                    m.requestImmediateCheck();
                }
            } else if (action instanceof TopologyAction.CancelInProgressCheck) {
                ServerMonitor m = monitors.get(a);
                if (m != null) {
                    m.cancelInProgressCheck();
                }
            }
        }
        return ready;
    }

    private void clear(TopologyUpdate update, TopologyAction.ClearPool c) {
        HostPool p = pools.get(c.address());
        if (p == null) {
            return;
        }
        if (p.isReady()) {
            LOG.info("[pool {}] cleared{}: {}", c.address(),
                    c.interruptInUseConnections() ? " (in-use connections closed)" : "", c.reason());
        } else {
            LOG.debug("[pool {}] cleared again while paused: {}", c.address(), c.reason());
        }
        p.clear(c.interruptInUseConnections());
        if (p.generation() != c.generation()) {
            LOG.debug("[pool {}] generation {} but the topology counts {}", c.address(), p.generation(), c.generation());
        }
        ServerDescription now = update.current().server(c.address());
        if (now != null && now.isAvailable()) {
            p.ready(); // an operator's drop: the server is fine, the pool keeps serving with new connections
        }
    }
}
