package dev.sluice.pool;

import java.time.Duration;

/**
 * Emitted when a check-out fails.
 *
 * @param address  the pool's {@code host:port}
 * @param reason   why it failed
 * @param duration time from the {@link ConnectionCheckOutStartedEvent} to this event
 */
public record ConnectionCheckOutFailedEvent(String address, Reason reason, Duration duration) {

    /** Why a check-out failed. */
    public enum Reason {
        /** The pool is closed. */
        POOL_CLOSED("poolClosed"),
        /** No connection became available within the wait-queue timeout. */
        TIMEOUT("timeout"),
        /** The pool is paused or was cleared, or establishing a new connection failed. */
        CONNECTION_ERROR("connectionError");

        private final String specName;

        Reason(String specName) {
            this.specName = specName;
        }

        /** @return the name the CMAP specification uses ({@code poolClosed}, {@code timeout}, {@code connectionError}) */
        public String specName() {
            return specName;
        }
    }
}
