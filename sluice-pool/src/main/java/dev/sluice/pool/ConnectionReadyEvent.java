package dev.sluice.pool;

import java.time.Duration;

/**
 * Emitted when a connection finished its establishment and joined the pool.
 *
 * @param address      the pool's {@code host:port}
 * @param connectionId the connection's id
 * @param duration     time from the {@link ConnectionCreatedEvent} to this event
 */
public record ConnectionReadyEvent(String address, long connectionId, Duration duration) {
}
