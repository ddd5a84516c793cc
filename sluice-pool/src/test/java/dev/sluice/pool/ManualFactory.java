package dev.sluice.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A factory whose opens complete when the test says so (or at once when {@code immediate}); it records every open
 * and every close.
 */
final class ManualFactory implements ConnectionFactory<ManualFactory.Conn> {

    /** A fake connection. */
    record Conn(long id, int generation) {
    }

    private record Pending(ConnectionDescriptor descriptor, CompletableFuture<Conn> future) {
    }

    /** A close the pool asked for. */
    record Close(Conn connection, ConnectionClosedEvent.Reason reason) {
    }

    private final boolean immediate;
    private final List<Pending> opening = new ArrayList<>();
    private final List<ConnectionDescriptor> opened = new ArrayList<>();
    private final List<Close> closed = new ArrayList<>();
    private RuntimeException failWith;

    ManualFactory(boolean immediate) {
        this.immediate = immediate;
    }

    synchronized void failNextOpensWith(RuntimeException e) {
        failWith = e;
    }

    @Override
    public synchronized CompletableFuture<Conn> open(ConnectionDescriptor d) {
        opened.add(d);
        if (failWith != null) {
            return CompletableFuture.failedFuture(failWith);
        }
        Conn c = new Conn(d.connectionId(), d.generation());
        if (immediate) {
            return CompletableFuture.completedFuture(c);
        }
        CompletableFuture<Conn> f = new CompletableFuture<>();
        opening.add(new Pending(d, f));
        return f;
    }

    /** Completes the oldest open still in progress. */
    void completeNext() {
        Pending p;
        synchronized (this) {
            p = opening.remove(0);
        }
        p.future().complete(new Conn(p.descriptor().connectionId(), p.descriptor().generation()));
    }

    /** Fails the oldest open still in progress. */
    void failNext(RuntimeException error) {
        Pending p;
        synchronized (this) {
            p = opening.remove(0);
        }
        p.future().completeExceptionally(error);
    }

    synchronized int inProgress() {
        return opening.size();
    }

    synchronized List<ConnectionDescriptor> opened() {
        return List.copyOf(opened);
    }

    synchronized List<Close> closed() {
        return List.copyOf(closed);
    }

    @Override
    public synchronized void close(Conn connection, ConnectionClosedEvent.Reason reason) {
        closed.add(new Close(connection, reason));
    }
}
