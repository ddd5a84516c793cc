package dev.sluice.pool;

import java.time.Duration;

/**
 * Emitted when a check-out succeeds.
 *
 * @param address      the pool's {@code host:port}
 * @param connectionId the connection's id
 * @param duration     time from the {@link ConnectionCheckOutStartedEvent} to this event
 */
public record ConnectionCheckedOutEvent(String address, long connectionId, Duration duration) {
}
