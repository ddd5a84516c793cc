package dev.sluice.pool.internal;

/** The CMAP pool states. A pool starts paused, moves between paused and ready, and ends closed. */
public enum PoolState {
    /** Check-outs fail with PoolClearedException; maintenance does not open connections. */
    PAUSED("paused"),
    /** Check-outs are served; maintenance keeps minPoolSize. */
    READY("ready"),
    /** Terminal: check-outs fail with PoolClosedException; checked-in connections are closed. */
    CLOSED("closed");

    private final String specName;

    PoolState(String specName) {
        this.specName = specName;
    }

    /** @return {@code paused}, {@code ready} or {@code closed} */
    public String specName() {
        return specName;
    }
}
