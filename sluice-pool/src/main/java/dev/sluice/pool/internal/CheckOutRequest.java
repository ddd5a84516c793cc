package dev.sluice.pool.internal;

import dev.sluice.pool.CheckOutCallback;
import dev.sluice.pool.PoolException;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * A check-out that could not be served at once: it waits in the {@link WaitQueue}, then either gets a connection,
 * has a connection opened for it, or fails. Its {@link #phase} moves only under the pool's lock, so exactly one
 * party claims it; the claimant then delivers the outcome outside the lock, exactly once.
 *
 * @param <C> the connection type
 */
final class CheckOutRequest<C> implements Runnable {

    /** In the wait queue. */
    static final int WAITING = 0;
    /** Left the queue: a connection is being opened for it. */
    static final int CONNECTING = 1;
    /** Claimed by whoever delivers its outcome. */
    static final int CLAIMED = 2;

    private final CheckOutPath<C> path;
    final long startNanos;
    final long timeoutNanos;
    final boolean timeoutFromSettings;
    private final CheckOutCallback<C> callback;
    /** The parked thread of a blocking check-out; null for an asynchronous one. */
    final Thread waiter;

    /** Guarded by the pool's lock. */
    int phase = WAITING;

    private volatile boolean delivered;
    private PoolEntry<C> result;
    private PoolException error;
    private volatile ScheduledFuture<?> timeoutTask;

    CheckOutRequest(CheckOutPath<C> path, long startNanos, long timeoutNanos, boolean timeoutFromSettings,
                    CheckOutCallback<C> callback, Thread waiter) {
        this.path = path;
        this.startNanos = startNanos;
        this.timeoutNanos = timeoutNanos;
        this.timeoutFromSettings = timeoutFromSettings;
        this.callback = callback;
        this.waiter = waiter;
    }

    /** The timeout task. */
    @Override
    public void run() {
        path.onTimeout(this);
    }

    void timeoutTask(ScheduledFuture<?> task) {
        timeoutTask = task;
        if (delivered) {
            task.cancel(false);
        }
    }

    /** Delivers the outcome; called once by the claimant. */
    void complete(PoolEntry<C> entry, PoolException failure) {
        result = entry;
        error = failure;
        delivered = true;
        ScheduledFuture<?> task = timeoutTask;
        if (task != null) {
            task.cancel(false);
        }
        if (callback != null) {
            path.runCallback(callback, entry, failure);
        } else {
            LockSupport.unpark(waiter);
        }
    }

    boolean isDelivered() {
        return delivered;
    }

    /** Valid once {@link #isDelivered()}. */
    PoolEntry<C> result() {
        return result;
    }

    /** Valid once {@link #isDelivered()}. */
    PoolException error() {
        return error;
    }
}
