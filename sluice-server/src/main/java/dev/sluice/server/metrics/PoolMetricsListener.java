package dev.sluice.server.metrics;

import dev.sluice.pool.ConnectionCheckOutFailedEvent;
import dev.sluice.pool.ConnectionClosedEvent;
import dev.sluice.pool.ConnectionCreatedEvent;
import dev.sluice.pool.PoolClearedEvent;
import dev.sluice.pool.PoolListener;

import java.util.Locale;

/** Feeds the pool's events into {@link SluiceMetrics}: metrics are a listener, not a special case in the pool. */
public final class PoolMetricsListener implements PoolListener {
    private final SluiceMetrics metrics;

    public PoolMetricsListener(SluiceMetrics metrics) {
        this.metrics = metrics;
    }

    /** The values form: no event object per operation. */
    @Override
    public void connectionCheckedOut(String address, long connectionId, long durationNanos) {
        metrics.checkedOut(address, durationNanos);
    }

    @Override
    public void connectionCheckOutFailed(ConnectionCheckOutFailedEvent e) {
        metrics.checkOutFailed(e.address(), e.reason().name().toLowerCase(Locale.ROOT));
        if (e.reason() == ConnectionCheckOutFailedEvent.Reason.TIMEOUT) {
            metrics.waitQueueTimeout(e.address());
        }
    }

    @Override
    public void poolCleared(PoolClearedEvent e) {
        metrics.poolCleared(e.address());
    }

    @Override
    public void connectionCreated(ConnectionCreatedEvent e) {
        metrics.connectionCreated(e.address());
    }

    @Override
    public void connectionClosed(ConnectionClosedEvent e) {
        metrics.connectionClosed(e.address(), e.reason().name().toLowerCase(Locale.ROOT));
    }
}
