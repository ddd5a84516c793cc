package dev.sluice.pool;

import dev.sluice.pool.internal.PoolCore;
import dev.sluice.pool.internal.SharedScheduler;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A connection pool for one server address, following the MongoDB CMAP specification: it starts paused, serves
 * check-outs once {@link #ready() ready}, keeps at most maxPoolSize connections with at most maxConnecting being
 * opened at once, serves waiters first-come first-served among themselves (a checked-in connection goes to a waiter
 * before a new one is opened), and drops a whole generation of connections on {@link #clear()}. Everything it does is
 * reported to its {@link PoolListener}.
 *
 * <p>Fairness, precisely: a check-out that finds an idle connection on arrival takes it even while others wait, as in
 * HikariCP; a check-in wakes the longest-waiting blocked thread rather than reserving the connection for it, because
 * strict hand-off costs a context switch per check-out under contention. Asynchronous waiters get connections handed
 * to them in arrival order.
 *
 * <p>Thread-safe. Checking out an available connection when nobody waits takes no lock and allocates nothing (with
 * the default no-op listener).
 *
 * @param <C> the connection type
 */
public final class ConnectionPool<C> implements AutoCloseable {

    private final PoolCore<C> core;
    private final long defaultTimeoutNanos;

    private ConnectionPool(Builder<C> b) {
        this.core = new PoolCore<>(b.address, b.settings, b.factory, b.listener, b.ticker, b.scheduler);
        this.defaultTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(b.settings.waitQueueTimeoutMS());
    }

    /**
     * @param factory opens and closes the pool's connections
     * @param <C>     the connection type
     * @return a builder
     */
    public static <C> Builder<C> builder(ConnectionFactory<C> factory) {
        return new Builder<>(factory);
    }

    /**
     * Checks out a connection, waiting up to waitQueueTimeoutMS (0 = without limit).
     *
     * @return the connection; end its lease with {@link PooledConnection#checkIn()} or {@link PooledConnection#discard()}
     * @throws PoolClearedException         if the pool is paused or is cleared while waiting
     * @throws PoolClosedException          if the pool is closed
     * @throws WaitQueueTimeoutException    if no connection came in time
     * @throws ConnectionCreationException  if the connection opened for this check-out failed
     * @throws PoolException                if the thread was interrupted while waiting (its flag is kept)
     */
    public PooledConnection<C> checkOut() throws PoolException {
        return core.checkOut(defaultTimeoutNanos, true);
    }

    /**
     * Checks out a connection with an explicit wait limit that overrides waitQueueTimeoutMS.
     *
     * @param timeout how long to wait; 0 = without limit
     * @param unit    its unit
     * @return the connection
     * @throws PoolException as {@link #checkOut()}
     */
    public PooledConnection<C> checkOut(long timeout, TimeUnit unit) throws PoolException {
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: >= 0; 0 = without limit)");
        }
        return core.checkOut(unit.toNanos(timeout), false);
    }

    /**
     * Checks out a connection without ever blocking the caller, waiting up to waitQueueTimeoutMS. The callback runs
     * exactly once, with a connection or a {@link PoolException}, on whatever thread frees or creates the connection
     * or times the request out (possibly the caller's, before this method returns). It must not throw and must not
     * block.
     *
     * @param callback receives the outcome
     */
    public void checkOutAsync(CheckOutCallback<C> callback) {
        core.checkOutAsync(Objects.requireNonNull(callback, "callback"), defaultTimeoutNanos, true);
    }

    /**
     * As {@link #checkOutAsync(CheckOutCallback)} with an explicit wait limit.
     *
     * @param timeout  how long to wait; 0 = without limit
     * @param unit     its unit
     * @param callback receives the outcome
     */
    public void checkOutAsync(long timeout, TimeUnit unit, CheckOutCallback<C> callback) {
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: >= 0; 0 = without limit)");
        }
        core.checkOutAsync(Objects.requireNonNull(callback, "callback"), unit.toNanos(timeout), false);
    }

    /** Marks a paused pool ready (emits PoolReady); does nothing if it is ready or closed. */
    public void ready() {
        core.ready();
    }

    /** Same as {@code clear(false)}. */
    public void clear() {
        core.clear(false);
    }

    /**
     * Increments the generation and pauses the pool; every waiting check-out fails at once with
     * {@link PoolClearedException}. Available connections of older generations are closed by the next maintenance
     * run (scheduled at once) or when met at check-out; in-use ones when checked in, or at once (through
     * {@code factory.close(..., STALE)}) when {@code interruptInUseConnections}. Emits PoolCleared only if the pool
     * was ready.
     *
     * @param interruptInUseConnections close in-use connections now
     */
    public void clear(boolean interruptInUseConnections) {
        core.clear(interruptInUseConnections);
    }

    /**
     * Changes maxPoolSize at runtime (a configuration reload, a connection budget shared by several
     * processes). Growing serves waiters at once. Shrinking closes available connections beyond the new
     * maximum now and in-use ones when they are checked in, and opens none until the pool is below it, so
     * the connections held converge to the new maximum without interrupting any check-out.
     * {@link #statistics()} reports the new maximum; {@link #settings()} keeps the built ones.
     *
     * @param maxPoolSize the new maximum, 0 = unbounded
     * @throws IllegalArgumentException when negative
     */
    public void resize(int maxPoolSize) {
        core.resize(maxPoolSize);
    }

    /** Closes the pool: fails waiters, closes available connections, emits PoolClosed. Idempotent. */
    @Override
    public void close() {
        core.close();
    }

    /**
     * Runs one maintenance pass now, on the calling thread: closes stale and idle available connections and, if
     * ready, opens connections towards minPoolSize. Scheduled runs do the same every maintenanceIntervalMS.
     */
    public void runMaintenance() {
        core.runMaintenance();
    }

    /**
     * Whether an idle connection is available now (a hint: another thread may take it first). Takes no
     * lock and allocates nothing, so callers can use it to choose between pools on a hot path.
     *
     * @return true when at least one connection is available
     */
    public boolean hasAvailableConnection() {
        return core.hasAvailable();
    }

    /**
     * Whether the pool holds or is opening maxPoolSize connections, so that a check-out finding none available
     * would wait (a hint, like {@link #hasAvailableConnection()}: no lock, no allocation). Always false when
     * maxPoolSize is 0 (unbounded).
     *
     * @return true when no connection may be opened now for want of room
     */
    public boolean atMaxPoolSize() {
        return core.atMaxPoolSize();
    }

    /** @return the pool's generation, incremented by each {@link #clear()} */
    public int generation() {
        return core.generation();
    }

    /** @return a snapshot of the pool's figures; cheap, takes no lock */
    public PoolStatistics statistics() {
        return core.statistics();
    }

    /** @return the pool's settings */
    public PoolSettings settings() {
        return core.settings();
    }

    /** @return the pool's {@code host:port} */
    public String address() {
        return core.address();
    }

    @Override
    public String toString() {
        return "ConnectionPool[" + core.address() + "]";
    }

    /**
     * Configures a pool. Only {@link #address(String)} is required.
     *
     * @param <C> the connection type
     */
    public static final class Builder<C> {
        private final ConnectionFactory<C> factory;
        private String address;
        private PoolSettings settings = PoolSettings.builder().build();
        private PoolListener listener = PoolListener.noop();
        private Ticker ticker = Ticker.SYSTEM;
        private ScheduledExecutorService scheduler;

        private Builder(ConnectionFactory<C> factory) {
            this.factory = Objects.requireNonNull(factory, "factory");
        }

        /**
         * @param value the server's {@code host:port}; required
         * @return this
         */
        public Builder<C> address(String value) {
            address = value;
            return this;
        }

        /**
         * @param value the settings; default {@code PoolSettings.builder().build()}
         * @return this
         */
        public Builder<C> settings(PoolSettings value) {
            settings = Objects.requireNonNull(value, "settings");
            return this;
        }

        /**
         * @param value receives the pool's events; default {@link PoolListener#noop()} (no event is built)
         * @return this
         */
        public Builder<C> listener(PoolListener value) {
            listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        /**
         * @param value the clock for idle time and durations; default {@link Ticker#SYSTEM}
         * @return this
         */
        public Builder<C> ticker(Ticker value) {
            ticker = Objects.requireNonNull(value, "ticker");
            return this;
        }

        /**
         * @param value runs maintenance and wait-queue timeouts; default one daemon thread shared by all pools. The
         *              pool never shuts it down.
         * @return this
         */
        public Builder<C> scheduler(ScheduledExecutorService value) {
            scheduler = Objects.requireNonNull(value, "scheduler");
            return this;
        }

        /**
         * Builds the pool, paused, and emits PoolCreated.
         *
         * @return the pool
         * @throws IllegalArgumentException if the address is missing or not {@code host:port}
         */
        public ConnectionPool<C> build() {
            if (address == null || address.isBlank()) {
                throw new IllegalArgumentException("address: " + (address == null ? "null" : "'" + address + "'")
                        + " (expected: the server's host:port, e.g. db1:27017)");
            }
            if (scheduler == null) {
                scheduler = SharedScheduler.get();
            }
            return new ConnectionPool<>(this);
        }
    }
}
