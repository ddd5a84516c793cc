package dev.sluice.pool;

/**
 * Emitted when a check-out starts, before any other work.
 *
 * @param address the pool's {@code host:port}
 */
public record ConnectionCheckOutStartedEvent(String address) {
}
