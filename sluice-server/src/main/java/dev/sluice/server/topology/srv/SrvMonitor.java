package dev.sluice.server.topology.srv;

import dev.sluice.server.topology.ServerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Rescans the SRV records of a {@code mongodb+srv://} URI (Polling SRV Records for mongos Discovery) and tells a
 * {@link SrvListener} which hosts to add and remove. For Sharded or Unknown topologies only: the caller starts it
 * there and closes it when the topology turns out to be anything else.
 *
 * <p>Rules: hosts outside the SRV name's parent domain are dropped with a WARN (no error); a failed look-up, or one
 * without any verified host, changes nothing (WARN) and the next rescan comes after
 * {@link RescanIntervals#afterFailure()}; otherwise hosts gone from DNS are removed, the others left alone, and new
 * ones added (with srvMaxHosts, at random until the topology has that many). The next rescan is scheduled from the end
 * of this one, after the smallest TTL (at least {@link RescanIntervals#minimum()}).
 *
 * <p>One rescan at a time: each is scheduled only when the previous has ended. The listener is called on the
 * scheduler's thread.
 */
public final class SrvMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SrvMonitor.class);

    private final SrvResolver resolver;
    private final SrvQuery query;
    private final Supplier<? extends Collection<ServerAddress>> currentHosts;
    private final RescanIntervals intervals;
    private final SrvListener listener;
    private final ScheduledExecutorService scheduler;
    private final Random random;
    private final String prefix;
    private final Object lock = new Object();
    private ScheduledFuture<?> next;
    private boolean closed;

    /**
     * @param resolver     does the look-ups
     * @param query        the URI's SRV name, service name and srvMaxHosts
     * @param currentHosts the topology's hosts now (compared with each rescan's)
     * @param intervals    how often to rescan
     * @param listener     told of each change
     * @param scheduler    runs the rescans (an event loop is fine: nothing blocks)
     * @param random       chooses new hosts under srvMaxHosts
     */
    public SrvMonitor(SrvResolver resolver, SrvQuery query, Supplier<? extends Collection<ServerAddress>> currentHosts,
                      RescanIntervals intervals, SrvListener listener, ScheduledExecutorService scheduler,
                      Random random) {
        this.resolver = resolver;
        this.query = query;
        this.currentHosts = currentHosts;
        this.intervals = intervals;
        this.listener = listener;
        this.scheduler = scheduler;
        this.random = random;
        this.prefix = "[srv " + query.srvName() + "]";
    }

    /** Starts rescanning after the initial resolution's TTL (at least the minimum interval). */
    public void start(SrvResolution initial) {
        start(initial.records().minTtlSeconds());
    }

    /** Starts rescanning after {@code minTtlSeconds} (at least the minimum interval; -1 when unknown). */
    public void start(long minTtlSeconds) {
        schedule(intervals.afterSuccess(minTtlSeconds));
    }

    private void schedule(Duration delay) {
        synchronized (lock) {
            if (!closed) {
                next = scheduler.schedule(this::rescan, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void rescan() {
        if (isClosed()) {
            return;
        }
        resolver.lookupHosts(query).whenComplete((records, error) -> {
            if (isClosed()) {
                return;
            }
            Duration delay;
            try {
                delay = apply(records, error);
            } catch (RuntimeException e) {
                LOG.warn("{} rescan could not be applied; hosts kept: {}", prefix, e.toString());
                delay = intervals.afterFailure();
            }
            schedule(delay);
        });
    }

    private Duration apply(SrvRecords records, Throwable error) {
        if (error != null) {
            LOG.warn("{} rescan failed, hosts kept; next try in {} ms: {}", prefix, intervals.afterFailure().toMillis(),
                    error.getMessage());
            return intervals.afterFailure();
        }
        for (String refused : records.refused()) {
            LOG.warn("{} rescan: {}; not added", prefix, refused);
        }
        if (records.hosts().isEmpty()) {
            LOG.warn("{} rescan found no verified host ({}), hosts kept; next try in {} ms", prefix, records.rcode(),
                    intervals.afterFailure().toMillis());
            return intervals.afterFailure();
        }
        SrvHostChange change = SrvHostSelection.rescan(List.copyOf(currentHosts.get()), records.hosts(),
                query.maxHosts(), random);
        if (!change.isEmpty()) {
            LOG.info("{} hosts changed: added {}, removed {}; now {}", prefix, change.added(), change.removed(),
                    change.hosts());
            listener.hostsChanged(change);
        }
        return intervals.afterSuccess(records.minTtlSeconds());
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** Stops rescanning (a look-up under way finishes without effect). */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (next != null) {
                next.cancel(false);
            }
        }
    }
}
