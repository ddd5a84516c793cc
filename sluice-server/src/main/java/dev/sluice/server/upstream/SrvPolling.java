package dev.sluice.server.upstream;

import dev.sluice.server.topology.TopologyType;
import dev.sluice.server.topology.srv.RescanIntervals;
import dev.sluice.server.topology.srv.SrvHostChange;
import dev.sluice.server.topology.srv.SrvMonitor;
import dev.sluice.server.topology.srv.SrvResolution;
import dev.sluice.server.topology.srv.SrvResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The cluster's {@link SrvMonitor}, for a {@code mongodb+srv://} upstream whose topology is Sharded or Unknown: each
 * rescan's change goes to the topology (hosts added as Unknown and monitored, hosts gone removed with their pools).
 * It stops for good once the topology is anything else (a replica set finds its members through hellos), as the
 * Polling SRV Records spec requires. Rescans run on the cluster's scheduler; nothing there blocks.
 */
final class SrvPolling implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SrvPolling.class);

    private final ClusterTopology topology;
    private final ScheduledExecutorService scheduler;
    private final Object lock = new Object();
    private SrvMonitor monitor;
    private boolean closed;

    SrvPolling(ClusterTopology topology, ScheduledExecutorService scheduler) {
        this.topology = topology;
        this.scheduler = scheduler;
    }

    /** Starts rescanning, unless the topology is already of a type that is never polled. */
    void start(SrvResolver resolver, SrvResolution initial, RescanIntervals intervals) {
        synchronized (lock) {
            if (closed || monitor != null) {
                return;
            }
            if (!polled(topology.description().type())) {
                LOG.info("[srv {}] not rescanned: the upstream is a {}", initial.query().srvName(),
                        topology.description().type().specName());
                return;
            }
            monitor = new SrvMonitor(resolver, initial.query(), () -> List.copyOf(topology.description().servers().keySet()),
                    intervals, this::changed, scheduler, new SecureRandom());
            monitor.start(initial);
            LOG.info("[srv {}] rescanning at least every {} ms while the upstream is {}",
                    initial.query().srvName(), intervals.minimum().toMillis(), topology.description().type().specName());
        }
    }

    private void changed(SrvHostChange change) {
        TopologyType type = topology.description().type();
        if (!polled(type)) {
            LOG.info("[srv] rescanning stopped: the upstream is a {}; change {} not applied", type.specName(), change);
            close();
            return;
        }
        topology.updateFromSrv(change.added(), change.removed());
    }

    private static boolean polled(TopologyType type) {
        return type == TopologyType.SHARDED || type == TopologyType.UNKNOWN;
    }

    boolean running() {
        synchronized (lock) {
            return monitor != null && !closed;
        }
    }

    /** Stops rescanning (idempotent). */
    @Override
    public void close() {
        SrvMonitor m;
        synchronized (lock) {
            closed = true;
            m = monitor;
        }
        if (m != null) {
            m.close();
        }
    }
}
