package com.mongodb.internal.connection;

import com.mongodb.ServerAddress;
import com.mongodb.connection.ClusterId;
import com.mongodb.connection.ConnectionPoolSettings;
import com.mongodb.connection.ServerId;
import com.mongodb.internal.TimeoutSettings;
import com.mongodb.internal.inject.EmptyProvider;

import java.util.concurrent.TimeUnit;

/**
 * Builds the MongoDB Java driver's own pool ({@link DefaultConnectionPool}, mongodb-driver-core 5.2.1) over
 * connections that do nothing, for sluice-bench. It lives in the driver's package only because the pool, its
 * interface and its connection factory are package-private there; it adds nothing to the hot path (the benchmark
 * calls {@link #checkOut} and {@code InternalConnection.close()} directly).
 */
public final class SluiceBenchDriverPool implements AutoCloseable {

    private final DefaultConnectionPool pool;
    private final TimeoutSettings timeouts;

    /** @param maxSize maxPoolSize; minSize 0, maxConnecting 2, maxWaitTime 30 s, default maintenance */
    public SluiceBenchDriverPool(int maxSize) {
        ServerId serverId = new ServerId(new ClusterId(), new ServerAddress("localhost", 27017));
        ConnectionPoolSettings settings = ConnectionPoolSettings.builder().maxSize(maxSize).minSize(0)
                .maxWaitTime(30, TimeUnit.SECONDS).build();
        // serverSelectionTimeoutMS, connectTimeoutMS, readTimeoutMS, timeoutMS (none: no CSOT), maxWaitTimeMS
        timeouts = new TimeoutSettings(30_000, 10_000, 0, null, 30_000);
        pool = new DefaultConnectionPool(serverId, (id, generation) -> new StubInternalConnection(id,
                generation.getGeneration()), settings, EmptyProvider.instance(),
                new InternalOperationContextFactory(timeouts, null));
        pool.ready();
    }

    /** @return an operation context to pass to {@link #checkOut}; the driver makes one per operation */
    public OperationContext newOperationContext() {
        return OperationContext.simpleOperationContext(timeouts, null);
    }

    /**
     * @param context the operation's context
     * @return a pooled connection; {@code close()} returns it to the pool
     */
    public InternalConnection checkOut(OperationContext context) {
        return pool.get(context);
    }

    @Override
    public void close() {
        pool.close();
    }
}
