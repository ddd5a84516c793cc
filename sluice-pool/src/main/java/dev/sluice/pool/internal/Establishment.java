package dev.sluice.pool.internal;

import dev.sluice.pool.ConnectionDescriptor;
import dev.sluice.pool.ConnectionFactory;

import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * One connection being opened ("pending"): reserved under the pool's lock, started outside it, and reported back to
 * the pool when the factory's stage completes.
 *
 * @param <C> the connection type
 */
final class Establishment<C> implements BiConsumer<C, Throwable> {

    private final PoolCore<C> pool;
    final long id;
    final int generation;
    /** The check-out it was opened for, or null when maintenance opened it for minPoolSize. */
    final CheckOutRequest<C> request;
    long createdNanos;

    Establishment(PoolCore<C> pool, long id, int generation, CheckOutRequest<C> request) {
        this.pool = pool;
        this.id = id;
        this.generation = generation;
        this.request = request;
    }

    /** Emits ConnectionCreated and asks the factory to open the connection. Never throws. */
    void start(ConnectionFactory<C> factory, String address) {
        createdNanos = pool.connectionCreated(id);
        CompletionStage<C> stage;
        try {
            stage = factory.open(new ConnectionDescriptor(id, address, generation));
        } catch (RuntimeException | Error e) {
            accept(null, e);
            return;
        }
        if (stage == null) {
            accept(null, new NullPointerException("ConnectionFactory.open returned null"));
            return;
        }
        stage.whenComplete(this);
    }

    @Override
    public void accept(C connection, Throwable failure) {
        pool.established(this, connection, failure);
    }
}
