package dev.sluice.pool.internal;

import dev.sluice.pool.ConnectionCheckOutFailedEvent;
import dev.sluice.pool.ConnectionCheckOutStartedEvent;
import dev.sluice.pool.ConnectionCheckedInEvent;
import dev.sluice.pool.ConnectionCheckedOutEvent;
import dev.sluice.pool.ConnectionClosedEvent;
import dev.sluice.pool.ConnectionCreatedEvent;
import dev.sluice.pool.ConnectionReadyEvent;
import dev.sluice.pool.PoolClearedEvent;
import dev.sluice.pool.PoolClosedEvent;
import dev.sluice.pool.PoolCreatedEvent;
import dev.sluice.pool.PoolListener;
import dev.sluice.pool.PoolReadyEvent;
import dev.sluice.pool.PoolSettings;
import dev.sluice.pool.Ticker;

import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * Builds and delivers a pool's events. With the no-op listener nothing is built and the clock is not read: every
 * method returns at its first line; the same for the events of every operation (check-out started, checked out, checked in)
 * when the listener does not override their methods. A listener's exception is logged, never propagated into the
 * pool.
 */
final class Events {

    private static final System.Logger LOG = System.getLogger("dev.sluice.pool");

    private final PoolListener listener;
    private final String address;
    private final Ticker ticker;
    final boolean enabled;
    /** The listener handles the events of every operation it is given ({@link ListenerInterest}). */
    private final boolean checkOutStartedWanted;
    private final boolean checkedInWanted;
    private final boolean checkedOutWanted;

    Events(PoolListener listener, String address, Ticker ticker) {
        this.listener = listener;
        this.address = address;
        this.ticker = ticker;
        this.enabled = listener != PoolListener.noop();
        this.checkOutStartedWanted = enabled && ListenerInterest.handles(listener, "connectionCheckOutStarted",
                ConnectionCheckOutStartedEvent.class);
        this.checkedInWanted = enabled && ListenerInterest.handles(listener, "connectionCheckedIn",
                ConnectionCheckedInEvent.class);
        // the pool calls the values form, whose default builds the event for a listener of events
        this.checkedOutWanted = enabled && (ListenerInterest.handles(listener, "connectionCheckedOut",
                ConnectionCheckedOutEvent.class) || ListenerInterest.handles(listener, "connectionCheckedOut",
                String.class, long.class, long.class));
    }

    /** @return the clock when events need durations, else 0 */
    long start() {
        return enabled ? ticker.nanoTime() : 0L;
    }

    private Duration since(long startNanos) {
        return Duration.ofNanos(Math.max(0L, ticker.nanoTime() - startNanos));
    }

    void poolCreated(PoolSettings settings) {
        if (!enabled) {
            return;
        }
        try {
            listener.poolCreated(new PoolCreatedEvent(address, settings));
        } catch (RuntimeException e) {
            failed("poolCreated", e);
        }
    }

    void poolReady() {
        if (!enabled) {
            return;
        }
        try {
            listener.poolReady(new PoolReadyEvent(address));
        } catch (RuntimeException e) {
            failed("poolReady", e);
        }
    }

    void poolCleared(boolean interruptInUseConnections) {
        if (!enabled) {
            return;
        }
        try {
            listener.poolCleared(new PoolClearedEvent(address, interruptInUseConnections));
        } catch (RuntimeException e) {
            failed("poolCleared", e);
        }
    }

    void poolClosed() {
        if (!enabled) {
            return;
        }
        try {
            listener.poolClosed(new PoolClosedEvent(address));
        } catch (RuntimeException e) {
            failed("poolClosed", e);
        }
    }

    void connectionCreated(long id) {
        if (!enabled) {
            return;
        }
        try {
            listener.connectionCreated(new ConnectionCreatedEvent(address, id));
        } catch (RuntimeException e) {
            failed("connectionCreated", e);
        }
    }

    void connectionReady(long id, long createdNanos) {
        if (!enabled) {
            return;
        }
        try {
            listener.connectionReady(new ConnectionReadyEvent(address, id, since(createdNanos)));
        } catch (RuntimeException e) {
            failed("connectionReady", e);
        }
    }

    void connectionClosed(long id, ConnectionClosedEvent.Reason reason) {
        if (!enabled) {
            return;
        }
        try {
            listener.connectionClosed(new ConnectionClosedEvent(address, id, reason));
        } catch (RuntimeException e) {
            failed("connectionClosed", e);
        }
    }

    void checkOutStarted() {
        if (!checkOutStartedWanted) {
            return;
        }
        try {
            listener.connectionCheckOutStarted(new ConnectionCheckOutStartedEvent(address));
        } catch (RuntimeException e) {
            failed("connectionCheckOutStarted", e);
        }
    }

    void checkOutFailed(ConnectionCheckOutFailedEvent.Reason reason, long startNanos) {
        if (!enabled) {
            return;
        }
        try {
            listener.connectionCheckOutFailed(new ConnectionCheckOutFailedEvent(address, reason, since(startNanos)));
        } catch (RuntimeException e) {
            failed("connectionCheckOutFailed", e);
        }
    }

    void checkedOut(long id, long startNanos) {
        if (!checkedOutWanted) {
            return;
        }
        try {
            listener.connectionCheckedOut(address, id, Math.max(0L, ticker.nanoTime() - startNanos));
        } catch (RuntimeException e) {
            failed("connectionCheckedOut", e);
        }
    }

    void checkedIn(long id) {
        if (!checkedInWanted) {
            return;
        }
        try {
            listener.connectionCheckedIn(new ConnectionCheckedInEvent(address, id));
        } catch (RuntimeException e) {
            failed("connectionCheckedIn", e);
        }
    }

    private void failed(String event, RuntimeException e) {
        LOG.log(Level.WARNING, "[pool " + address + "] listener failed on " + event + "; the pool carries on", e);
    }
}
