package dev.sluice.pool;

/**
 * Emitted when a connection leaves the pool: it no longer counts as pending, available or in use.
 *
 * @param address      the pool's {@code host:port}
 * @param connectionId the connection's id
 * @param reason       why it was closed
 */
public record ConnectionClosedEvent(String address, long connectionId, Reason reason) {

    /** Why a connection was closed. */
    public enum Reason {
        /** The pool was cleared after the connection was created. */
        STALE("stale"),
        /** The connection stayed available longer than maxIdleTimeMS. */
        IDLE("idle"),
        /** Establishing it failed, or its holder discarded it. */
        ERROR("error"),
        /** The pool was closed. */
        POOL_CLOSED("poolClosed");

        private final String specName;

        Reason(String specName) {
            this.specName = specName;
        }

        /** @return the name the CMAP specification uses ({@code stale}, {@code idle}, {@code error}, {@code poolClosed}) */
        public String specName() {
            return specName;
        }
    }
}
