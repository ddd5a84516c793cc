package dev.sluice.pool;

import java.time.Duration;
import java.util.Objects;

/**
 * Emitted when a check-out succeeds. One is built per operation, so it keeps its duration as nanoseconds and
 * builds the {@link Duration} only when asked ({@link #durationNanos()} reads it without one). Immutable; equal
 * when all three values are.
 */
public final class ConnectionCheckedOutEvent {
    private final String address;
    private final long connectionId;
    private final long durationNanos;

    /**
     * @param address      the pool's {@code host:port}
     * @param connectionId the connection's id
     * @param duration     time from the {@link ConnectionCheckOutStartedEvent} to this event
     */
    public ConnectionCheckedOutEvent(String address, long connectionId, Duration duration) {
        this(address, connectionId, duration.toNanos());
    }

    /**
     * @param address       the pool's {@code host:port}
     * @param connectionId  the connection's id
     * @param durationNanos time from the {@link ConnectionCheckOutStartedEvent} to this event, in nanoseconds
     */
    public ConnectionCheckedOutEvent(String address, long connectionId, long durationNanos) {
        this.address = address;
        this.connectionId = connectionId;
        this.durationNanos = durationNanos;
    }

    /** @return the pool's {@code host:port} */
    public String address() {
        return address;
    }

    /** @return the connection's id */
    public long connectionId() {
        return connectionId;
    }

    /** @return time from the {@link ConnectionCheckOutStartedEvent} to this event */
    public Duration duration() {
        return Duration.ofNanos(durationNanos);
    }

    /** @return {@link #duration()} in nanoseconds, without building a {@link Duration} */
    public long durationNanos() {
        return durationNanos;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectionCheckedOutEvent e && e.connectionId == connectionId
                && e.durationNanos == durationNanos && Objects.equals(e.address, address);
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, connectionId, durationNanos);
    }

    @Override
    public String toString() {
        return "ConnectionCheckedOutEvent[address=" + address + ", connectionId=" + connectionId + ", duration="
                + duration() + "]";
    }
}
