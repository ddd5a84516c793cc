package dev.sluice.server.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * A Sluice's drain: whether one was asked for or the stop has begun (readiness reads it), the future that
 * completes once everything is closed, and the drain's own phase before the forced stop:
 * <ol>
 *   <li>stop accepting client connections;</li>
 *   <li>wait, up to the grace period, until no operation runs and no cursor or transaction is open
 *       ({@link DrainWait});</li>
 *   <li>quiesce: hellos answer ShutdownInProgress, and the waiting awaitable ones get that answer (at most
 *       {@value #QUIESCE_MS} ms is given for them to go out).</li>
 * </ol>
 * The rest (closing clients, pools, event loops) is the caller's bounded stop.
 */
public final class Drain {
    private static final Logger LOG = LoggerFactory.getLogger(Drain.class);
    /** Longest wait, after the drain, for the ShutdownInProgress answers to waiting hellos to go out. */
    public static final long QUIESCE_MS = 500;

    /** What a drain acts on: the running Sluice. */
    public interface Target {
        /** Closes the mongodb connector's listener. */
        void stopAccepting();

        /** What is left now. */
        DrainFigures figures();

        /** From now on hellos answer ShutdownInProgress; the waiting awaitable ones are woken. */
        void quiesce();

        /** Awaitable hellos not answered yet. */
        int waitingHellos();

        /**
         * Called at each check while waiting: closes client connections that can move to another instance now
         * (behind a load balancer, those with nothing running, no open cursor and no open transaction).
         */
        default void moveIdleClients() {
        }

        /** Names the operations still running when the grace period has ended. */
        void logRunning();
    }

    private final long graceMS;
    private final LongSupplier nanoTime;
    private final DrainWait.Pause pause;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    /** @param graceMS shutdownTimeoutMS */
    public Drain(long graceMS, LongSupplier nanoTime, DrainWait.Pause pause) {
        this.graceMS = graceMS;
        this.nanoTime = nanoTime;
        this.pause = pause;
    }

    /** Whether a drain was asked for or the stop has begun: readiness is withdrawn. */
    public boolean draining() {
        return requested.get() || closing.get();
    }

    /** Records a request; true for the first one (the caller then starts the stop), false when already draining. */
    public boolean request(String requestedBy) {
        if (closing.get() || !requested.compareAndSet(false, true)) {
            return false;
        }
        LOG.info("[sluice] drain requested by {}", requestedBy);
        return true;
    }

    /** True for the first caller, who runs the stop; later callers should {@link #awaitStopped}. */
    public boolean beginStop() {
        return !closing.getAndSet(true);
    }

    /** Completes once the stop has finished. */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    /** The stop has finished. */
    public void markStopped() {
        stopped.complete(null);
    }

    /** Waits for the stop under way, at most the drain's grace period plus {@code moreMS}. */
    public void awaitStopped(long moreMS) {
        try {
            stopped.get(graceMS + QUIESCE_MS + moreMS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("[sluice] the shutdown under way has not finished: {}", e.toString());
        }
    }

    /** The drain's phase: stop accepting, wait for the work in flight, quiesce. */
    public void run(Target target) {
        LOG.info("[sluice] draining: readiness withdrawn (/readyz 503), no new connections; running operations, "
                + "cursors and transactions get up to shutdownTimeoutMS={} ms", graceMS);
        target.stopAccepting();
        DrainFigures left = new DrainWait(nanoTime, pause, () -> {
            target.moveIdleClients();
            return target.figures();
        }).await(graceMS);
        if (!left.idle()) {
            target.logRunning();
        }
        target.quiesce();
        long deadline = nanoTime.getAsLong() + TimeUnit.MILLISECONDS.toNanos(QUIESCE_MS);
        while (target.waitingHellos() > 0 && nanoTime.getAsLong() - deadline < 0) {
            try {
                pause.pause(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
