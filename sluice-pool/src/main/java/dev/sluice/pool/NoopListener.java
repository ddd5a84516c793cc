package dev.sluice.pool;

/** The listener that ignores every event; recognised by identity so the pool can skip building events. */
final class NoopListener implements PoolListener {

    static final NoopListener INSTANCE = new NoopListener();

    private NoopListener() {
    }

    @Override
    public String toString() {
        return "PoolListener.noop()";
    }
}
