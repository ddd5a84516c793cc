package dev.sluice.pool.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The default scheduler of pools built without one: a single daemon thread shared by every pool of the process, for
 * maintenance runs and wait-queue timeouts. Created on first use. Its tasks never block.
 */
public final class SharedScheduler {

    private SharedScheduler() {
    }

    /** @return the shared scheduler */
    public static ScheduledExecutorService get() {
        return Holder.INSTANCE;
    }

    private static final class Holder {
        static final ScheduledExecutorService INSTANCE = create();

        private static ScheduledExecutorService create() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "sluice-pool-scheduler");
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
            return executor;
        }
    }
}
