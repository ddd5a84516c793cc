package dev.sluice.pool;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens connections on another thread after a random tiny delay (sometimes failing), and checks, as the server
 * would see it, that the pool never has more than maxPoolSize connections nor more than maxConnecting opening.
 */
final class StressFactory implements ConnectionFactory<StressFactory.Conn> {

    /** A fake connection. */
    static final class Conn {
        final long id;
        final int generation;
        final AtomicInteger closes = new AtomicInteger();

        Conn(long id, int generation) {
            this.id = id;
            this.generation = generation;
        }
    }

    private final int maxPoolSize;
    private final int maxConnecting;
    private final ScheduledExecutorService executor;
    private final Queue<String> violations;
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger opening = new AtomicInteger();
    final Map<Long, Conn> opened = new ConcurrentHashMap<>();
    final AtomicInteger maxLiveSeen = new AtomicInteger();
    final AtomicInteger maxOpeningSeen = new AtomicInteger();

    StressFactory(int maxPoolSize, int maxConnecting, ScheduledExecutorService executor,
                  ConcurrentLinkedQueue<String> violations) {
        this.maxPoolSize = maxPoolSize;
        this.maxConnecting = maxConnecting;
        this.executor = executor;
        this.violations = violations;
    }

    @Override
    public CompletableFuture<Conn> open(ConnectionDescriptor d) {
        int l = live.incrementAndGet();
        int o = opening.incrementAndGet();
        maxLiveSeen.accumulateAndGet(l, Math::max);
        maxOpeningSeen.accumulateAndGet(o, Math::max);
        if (l > maxPoolSize) {
            violations.add("open of " + d.connectionId() + " made " + l + " connections (maxPoolSize " + maxPoolSize + ")");
        }
        if (o > maxConnecting) {
            violations.add("open of " + d.connectionId() + " made " + o + " opening (maxConnecting " + maxConnecting + ")");
        }
        CompletableFuture<Conn> f = new CompletableFuture<>();
        boolean fail = ThreadLocalRandom.current().nextInt(50) == 0;
        executor.schedule(() -> {
            opening.decrementAndGet();
            if (fail) {
                live.decrementAndGet();
                f.completeExceptionally(new IllegalStateException("simulated connect failure"));
            } else {
                Conn c = new Conn(d.connectionId(), d.generation());
                opened.put(c.id, c);
                f.complete(c);
            }
        }, ThreadLocalRandom.current().nextInt(200), TimeUnit.MICROSECONDS);
        return f;
    }

    @Override
    public void close(Conn connection, ConnectionClosedEvent.Reason reason) {
        if (connection.closes.incrementAndGet() != 1) {
            violations.add("connection " + connection.id + " closed " + connection.closes.get() + " times");
        }
        live.decrementAndGet();
    }

    int live() {
        return live.get();
    }
}
