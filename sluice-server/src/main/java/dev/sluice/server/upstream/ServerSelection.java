package dev.sluice.server.upstream;

import dev.sluice.server.topology.OperationKind;
import dev.sluice.server.topology.ReadPreference;
import dev.sluice.server.topology.ReadPreferenceException;
import dev.sluice.server.topology.ServerAddress;
import dev.sluice.server.topology.ServerDescription;
import dev.sluice.server.topology.ServerSelectionException;
import dev.sluice.server.topology.ServerSelector;
import dev.sluice.server.topology.TopologyDescription;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The server selection loop of the server selection spec, without blocking a thread: select from the current
 * description; when nothing is suitable, ask every monitor for a check and wait for the topology to change (a
 * {@link SelectionWaiters} wake-up, not polling), until serverSelectionTimeoutMS; then fail with an error naming the
 * read preference, the topology type and every server's state.
 */
final class ServerSelection implements Runnable {
    private final ClusterTopology topology;
    private final ServerSelector selector;
    private final SelectionWaiters waiters;
    private final OperationKind kind;
    private final ReadPreference readPreference;
    private final Collection<ServerAddress> deprioritized;
    private final long deadlineNanos;
    private final long timeoutMS;
    private final Executor executor;
    private final ScheduledExecutorService timers;
    private final LongSupplier nanoTime;
    private final SelectionCallback callback;
    private final Runnable wake;
    private ScheduledFuture<?> timer;
    private boolean done;

    /**
     * @param executor where the selection runs after its first try and where the callback runs (a client's event
     *                 loop, or the cluster's scheduler): every run of one selection is on it
     * @param timers   schedules the deadline
     */
    ServerSelection(ClusterTopology topology, ServerSelector selector, SelectionWaiters waiters, OperationKind kind,
                    ReadPreference readPreference, Collection<ServerAddress> deprioritized, long deadlineNanos,
                    long timeoutMS, Executor executor, ScheduledExecutorService timers, LongSupplier nanoTime,
                    SelectionCallback callback) {
        this.topology = topology;
        this.selector = selector;
        this.waiters = waiters;
        this.kind = kind;
        this.readPreference = readPreference;
        this.deprioritized = deprioritized;
        this.deadlineNanos = deadlineNanos;
        this.timeoutMS = timeoutMS;
        this.executor = executor;
        this.timers = timers;
        this.nanoTime = nanoTime;
        this.callback = callback;
        this.wake = () -> executor.execute(this);
    }

    @Override
    public void run() {
        if (done) {
            return;
        }
        if (!topology.isOpen()) {
            fail(new UpstreamException(UpstreamException.Kind.HOST_UNREACHABLE, "upstream",
                    "Sluice's upstream is not open (not started yet, or shutting down): no server to send to"));
            return;
        }
        long seen = waiters.changes();
        TopologyDescription description = topology.description();
        Optional<ServerDescription> server;
        try {
            server = selector.select(description, kind, readPreference, deprioritized,
                    a -> operations(a), ThreadLocalRandom.current());
        } catch (ReadPreferenceException e) {
            fail(e);
            return;
        } catch (ServerSelectionException e) {
            fail(new UpstreamException(UpstreamException.Kind.NO_SUITABLE_SERVER, "upstream", e.getMessage()));
            return;
        }
        if (server.isPresent()) {
            HostPool pool = topology.pool(server.get().address());
            if (pool != null) {
                finish();
                callback.selected(pool, server.get());
                return;
            }
        }
        if (nanoTime.getAsLong() - deadlineNanos >= 0) {
            fail(new UpstreamException(UpstreamException.Kind.NO_SUITABLE_SERVER, "upstream",
                    SelectionFailure.describe(kind, readPreference, topology.description(), timeoutMS)));
            return;
        }
        topology.requestImmediateChecks();
        if (timer == null) {
            long delay = Math.max(0, deadlineNanos - nanoTime.getAsLong());
            timer = timers.schedule(() -> {
                waiters.remove(wake);
                executor.execute(this);
            }, delay, TimeUnit.NANOSECONDS);
        }
        waiters.await(seen, wake);
    }

    private int operations(ServerAddress address) {
        HostPool pool = topology.pool(address);
        return pool == null ? 0 : pool.operations();
    }

    private void fail(RuntimeException error) {
        finish();
        callback.failed(error);
    }

    private void finish() {
        done = true;
        if (timer != null) {
            timer.cancel(false);
            waiters.remove(wake);
        }
    }
}
