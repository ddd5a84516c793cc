package dev.sluice.pool;

import java.util.List;

/**
 * Forwards every event to several listeners in order. An exception from one listener does not keep the event from
 * the others: it is propagated after all were called, and the pool logs it.
 */
public final class CompositeListener implements PoolListener {

    private final PoolListener[] listeners;

    /** @param listeners the listeners, called in this order */
    public CompositeListener(List<? extends PoolListener> listeners) {
        this.listeners = listeners.toArray(new PoolListener[0]);
    }

    /** @return the listeners, in call order */
    public List<PoolListener> listeners() {
        return List.of(listeners);
    }

    @Override
    public void poolCreated(PoolCreatedEvent e) {
        RuntimeException failure = null;
        for (PoolListener l : listeners) {
            try {
                l.poolCreated(e);
            } catch (RuntimeException ex) {
                failure = chain(failure, ex);
            }
        }
        rethrow(failure);
    }

    @Override
    public void poolReady(PoolReadyEvent e) {
        RuntimeException failure = null;
        for (PoolListener l : listeners) {
            try {
                l.poolReady(e);
            } catch (RuntimeException ex) {
                failure = chain(failure, ex);
            }
        }
        rethrow(failure);
    }

    @Override
    public void poolCleared(PoolClearedEvent e) {
        RuntimeException failure = null;
        for (PoolListener l : listeners) {
            try {
                l.poolCleared(e);
            } catch (RuntimeException ex) {
                failure = chain(failure, ex);
            }
        }
        rethrow(failure);
    }

    @Override
    public void poolClosed(PoolClosedEvent e) {
        RuntimeException failure = null;
        for (PoolListener l : listeners) {
            try {
                l.poolClosed(e);
            } catch (RuntimeException ex) {
                failure = chain(failure, ex);
            }
        }
        rethrow(failure);
    }

    @Override
    public void connectionCreated(ConnectionCreatedEvent e) {
        RuntimeException failure = null;
        for (PoolListener l : listeners) {
            try {
                l.connectionCreated(e);
            } catch (RuntimeException ex) {
                failure = chain(failure, ex);
            }
        }
        rethrow(failure);
    }

    @Override
    public void connectionReady(ConnectionReadyEvent e) {
        RuntimeException failure = null;
        for (PoolListener l : listeners) {
            try {
                l.connectionReady(e);
            } catch (RuntimeException ex) {
                failure = chain(failure, ex);
            }
        }
        rethrow(failure);
    }

    @Override
    public void connectionClosed(ConnectionClosedEvent e) {
        RuntimeException failure = null;
        for (PoolListener l : listeners) {
            try {
                l.connectionClosed(e);
            } catch (RuntimeException ex) {
                failure = chain(failure, ex);
            }
        }
        rethrow(failure);
    }

    @Override
    public void connectionCheckOutStarted(ConnectionCheckOutStartedEvent e) {
        RuntimeException failure = null;
        for (PoolListener l : listeners) {
            try {
                l.connectionCheckOutStarted(e);
            } catch (RuntimeException ex) {
                failure = chain(failure, ex);
            }
        }
        rethrow(failure);
    }

    @Override
    public void connectionCheckOutFailed(ConnectionCheckOutFailedEvent e) {
        RuntimeException failure = null;
        for (PoolListener l : listeners) {
            try {
                l.connectionCheckOutFailed(e);
            } catch (RuntimeException ex) {
                failure = chain(failure, ex);
            }
        }
        rethrow(failure);
    }

    /** Given as the values form, so that a listener of either form gets it. */
    @Override
    public void connectionCheckedOut(ConnectionCheckedOutEvent e) {
        connectionCheckedOut(e.address(), e.connectionId(), e.durationNanos());
    }

    /** Each listener gets the values: one that takes events builds its own (equal) event. */
    @Override
    public void connectionCheckedOut(String address, long connectionId, long durationNanos) {
        RuntimeException failure = null;
        for (PoolListener l : listeners) {
            try {
                l.connectionCheckedOut(address, connectionId, durationNanos);
            } catch (RuntimeException ex) {
                failure = chain(failure, ex);
            }
        }
        rethrow(failure);
    }

    @Override
    public void connectionCheckedIn(ConnectionCheckedInEvent e) {
        RuntimeException failure = null;
        for (PoolListener l : listeners) {
            try {
                l.connectionCheckedIn(e);
            } catch (RuntimeException ex) {
                failure = chain(failure, ex);
            }
        }
        rethrow(failure);
    }

    private static RuntimeException chain(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    private static void rethrow(RuntimeException failure) {
        if (failure != null) {
            throw failure;
        }
    }
}
