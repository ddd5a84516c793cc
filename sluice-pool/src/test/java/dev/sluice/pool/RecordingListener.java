package dev.sluice.pool;

import java.util.ArrayList;
import java.util.List;

/** Keeps every event object, in order. */
final class RecordingListener implements PoolListener {

    private final List<Object> events = new ArrayList<>();

    synchronized List<Object> events() {
        return List.copyOf(events);
    }

    synchronized <T> List<T> of(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private synchronized void add(Object e) {
        events.add(e);
    }

    @Override public void poolCreated(PoolCreatedEvent e) { add(e); }
    @Override public void poolReady(PoolReadyEvent e) { add(e); }
    @Override public void poolCleared(PoolClearedEvent e) { add(e); }
    @Override public void poolClosed(PoolClosedEvent e) { add(e); }
    @Override public void connectionCreated(ConnectionCreatedEvent e) { add(e); }
    @Override public void connectionReady(ConnectionReadyEvent e) { add(e); }
    @Override public void connectionClosed(ConnectionClosedEvent e) { add(e); }
    @Override public void connectionCheckOutStarted(ConnectionCheckOutStartedEvent e) { add(e); }
    @Override public void connectionCheckOutFailed(ConnectionCheckOutFailedEvent e) { add(e); }
    @Override public void connectionCheckedOut(ConnectionCheckedOutEvent e) { add(e); }
    @Override public void connectionCheckedIn(ConnectionCheckedInEvent e) { add(e); }
}
