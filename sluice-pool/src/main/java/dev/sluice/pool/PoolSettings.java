package dev.sluice.pool;

import java.util.Objects;

/**
 * The immutable settings of one {@link ConnectionPool}, validated when built: a bad value is an
 * {@link IllegalArgumentException} naming the setting and its allowed range, never a silent correction.
 * None of them can change while the pool runs; build a new pool to change them.
 */
public final class PoolSettings {

    /** Default {@link #maxPoolSize()}. */
    public static final int DEFAULT_MAX_POOL_SIZE = 100;
    /** Default {@link #maxConnecting()}. */
    public static final int DEFAULT_MAX_CONNECTING = 2;
    /** Default {@link #maintenanceIntervalMS()}. */
    public static final long DEFAULT_MAINTENANCE_INTERVAL_MS = 1000;

    private final int maxPoolSize;
    private final int minPoolSize;
    private final int maxConnecting;
    private final long maxIdleTimeMS;
    private final long waitQueueTimeoutMS;
    private final long maintenanceIntervalMS;

    private PoolSettings(Builder b) {
        this.maxPoolSize = SettingChecks.atLeast("maxPoolSize", b.maxPoolSize, 0);
        this.minPoolSize = SettingChecks.atLeast("minPoolSize", b.minPoolSize, 0);
        this.maxConnecting = SettingChecks.atLeast("maxConnecting", b.maxConnecting, 1);
        this.maxIdleTimeMS = SettingChecks.atLeast("maxIdleTimeMS", b.maxIdleTimeMS, 0);
        this.waitQueueTimeoutMS = SettingChecks.atLeast("waitQueueTimeoutMS", b.waitQueueTimeoutMS, 0);
        this.maintenanceIntervalMS = b.maintenanceIntervalMS;
        if (maxPoolSize > 0 && minPoolSize > maxPoolSize) {
            throw new IllegalArgumentException("minPoolSize: " + minPoolSize + " (expected: <= maxPoolSize, which is "
                    + maxPoolSize + ", when maxPoolSize > 0; set maxPoolSize=0 for no limit)");
        }
    }

    /** @return a builder with every setting at its default */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param existing settings to start from
     * @return a builder holding {@code existing}'s values
     */
    public static Builder builder(PoolSettings existing) {
        return new Builder(existing);
    }

    /**
     * The most connections (in use + available + pending) the pool holds at once. Default 100; 0 = no limit.
     *
     * @return the maximum, {@code >= 0}
     */
    public int maxPoolSize() {
        return maxPoolSize;
    }

    /**
     * The number of connections maintenance keeps open (in use + available + pending) while the pool is ready.
     * Default 0; must be {@code <= maxPoolSize} when maxPoolSize &gt; 0.
     *
     * @return the minimum, {@code >= 0}
     */
    public int minPoolSize() {
        return minPoolSize;
    }

    /**
     * The most connections being established at once (from ConnectionCreated to ConnectionReady). Default 2.
     *
     * @return the limit, {@code >= 1}
     */
    public int maxConnecting() {
        return maxConnecting;
    }

    /**
     * Milliseconds a connection may stay available before it is closed as idle (at check-out or by maintenance).
     * Default 0 = never idle.
     *
     * @return milliseconds, {@code >= 0}
     */
    public long maxIdleTimeMS() {
        return maxIdleTimeMS;
    }

    /**
     * Milliseconds a check-out waits for a connection before failing with {@link WaitQueueTimeoutException}.
     * Default 0 = wait without limit.
     *
     * @return milliseconds, {@code >= 0}
     */
    public long waitQueueTimeoutMS() {
        return waitQueueTimeoutMS;
    }

    /**
     * Milliseconds between the end of one maintenance run and the start of the next (the CMAP spec's
     * backgroundThreadIntervalMS). A run closes stale and idle available connections and opens connections up to
     * minPoolSize. Default 1000; 0 or less = never run on a schedule (tests call
     * {@link ConnectionPool#runMaintenance()} themselves).
     *
     * @return milliseconds; {@code <= 0} disables scheduled runs
     */
    public long maintenanceIntervalMS() {
        return maintenanceIntervalMS;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PoolSettings s && s.maxPoolSize == maxPoolSize && s.minPoolSize == minPoolSize
                && s.maxConnecting == maxConnecting && s.maxIdleTimeMS == maxIdleTimeMS
                && s.waitQueueTimeoutMS == waitQueueTimeoutMS && s.maintenanceIntervalMS == maintenanceIntervalMS;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxPoolSize, minPoolSize, maxConnecting, maxIdleTimeMS, waitQueueTimeoutMS,
                maintenanceIntervalMS);
    }

    @Override
    public String toString() {
        return "PoolSettings{maxPoolSize=" + maxPoolSize + ", minPoolSize=" + minPoolSize + ", maxConnecting="
                + maxConnecting + ", maxIdleTimeMS=" + maxIdleTimeMS + ", waitQueueTimeoutMS=" + waitQueueTimeoutMS
                + ", maintenanceIntervalMS=" + maintenanceIntervalMS + "}";
    }

    /** Collects settings; {@link #build()} validates them. Not thread-safe. */
    public static final class Builder {
        private int maxPoolSize = DEFAULT_MAX_POOL_SIZE;
        private int minPoolSize;
        private int maxConnecting = DEFAULT_MAX_CONNECTING;
        private long maxIdleTimeMS;
        private long waitQueueTimeoutMS;
        private long maintenanceIntervalMS = DEFAULT_MAINTENANCE_INTERVAL_MS;

        private Builder() {
        }

        private Builder(PoolSettings s) {
            maxPoolSize = s.maxPoolSize;
            minPoolSize = s.minPoolSize;
            maxConnecting = s.maxConnecting;
            maxIdleTimeMS = s.maxIdleTimeMS;
            waitQueueTimeoutMS = s.waitQueueTimeoutMS;
            maintenanceIntervalMS = s.maintenanceIntervalMS;
        }

        /**
         * @param value see {@link PoolSettings#maxPoolSize()}: default 100, 0 = no limit
         * @return this
         */
        public Builder maxPoolSize(int value) {
            maxPoolSize = value;
            return this;
        }

        /**
         * @param value see {@link PoolSettings#minPoolSize()}: default 0
         * @return this
         */
        public Builder minPoolSize(int value) {
            minPoolSize = value;
            return this;
        }

        /**
         * @param value see {@link PoolSettings#maxConnecting()}: default 2, at least 1
         * @return this
         */
        public Builder maxConnecting(int value) {
            maxConnecting = value;
            return this;
        }

        /**
         * @param value see {@link PoolSettings#maxIdleTimeMS()}: milliseconds, default 0 = never idle
         * @return this
         */
        public Builder maxIdleTimeMS(long value) {
            maxIdleTimeMS = value;
            return this;
        }

        /**
         * @param value see {@link PoolSettings#waitQueueTimeoutMS()}: milliseconds, default 0 = no limit
         * @return this
         */
        public Builder waitQueueTimeoutMS(long value) {
            waitQueueTimeoutMS = value;
            return this;
        }

        /**
         * @param value see {@link PoolSettings#maintenanceIntervalMS()}: milliseconds, default 1000, {@code <= 0} = never
         * @return this
         */
        public Builder maintenanceIntervalMS(long value) {
            maintenanceIntervalMS = value;
            return this;
        }

        /**
         * Reads maxPoolSize, minPoolSize, maxConnecting, maxIdleTimeMS and waitQueueTimeoutMS from a MongoDB
         * connection string's query (keys case-insensitive, as in MongoDB URIs); other options are ignored, absent
         * ones keep their current value.
         *
         * @param mongodbUri a {@code mongodb://} or {@code mongodb+srv://} URI
         * @return this
         * @throws IllegalArgumentException if the URI is not a MongoDB URI, or an option is not an integer or is out
         *                                  of range; the message names the option and the allowed range
         */
        public Builder applyConnectionString(String mongodbUri) {
            ConnectionStringOptions.apply(mongodbUri, this);
            return this;
        }

        /**
         * @return validated settings
         * @throws IllegalArgumentException naming the first bad setting and its allowed range
         */
        public PoolSettings build() {
            return new PoolSettings(this);
        }
    }
}
