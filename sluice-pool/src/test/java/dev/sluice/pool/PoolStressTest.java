package dev.sluice.pool;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sixteen threads check out, check in, discard, check out asynchronously, clear and ready a small pool for a few
 * seconds while the factory and the holders check the pool's invariants at every step.
 */
class PoolStressTest {

    private static final int THREADS = 16;
    private static final int MAX_POOL_SIZE = 5;
    private static final int MAX_CONNECTING = 2;
    private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    private final Map<StressFactory.Conn, Thread> holders = new ConcurrentHashMap<>();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    @Test
    void invariantsHoldUnderConcurrentCheckOutCheckInDiscardAndClear() throws Exception {
        ScheduledExecutorService opener = Executors.newScheduledThreadPool(2);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        StressFactory factory = new StressFactory(MAX_POOL_SIZE, MAX_CONNECTING, opener, violations);
        ConnectionPool<StressFactory.Conn> pool = ConnectionPool.builder(factory).address("stress:27017")
                .settings(PoolSettings.builder().maxPoolSize(MAX_POOL_SIZE).minPoolSize(1)
                        .maxConnecting(MAX_CONNECTING).waitQueueTimeoutMS(200).maintenanceIntervalMS(20).build())
                .scheduler(scheduler).build();
        pool.ready();

        CountDownLatch finished = new CountDownLatch(THREADS);
        List<Thread> threads = new ArrayList<>();
        long deadline = System.nanoTime() + RUN_NANOS;
        for (int i = 0; i < THREADS; i++) {
            Thread t = new Thread(() -> {
                try {
                    while (System.nanoTime() < deadline) {
                        step(pool);
                    }
                } catch (RuntimeException | AssertionError e) {
                    violations.add(Thread.currentThread().getName() + " died: " + e);
                } finally {
                    finished.countDown();
                }
            }, "stress-" + i);
            threads.add(t);
            t.start();
        }

        assertThat(finished.await(30, TimeUnit.SECONDS)).as("every thread finished (no waiter left hanging)").isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> holders.isEmpty());
        pool.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> factory.live() == 0);
        opener.shutdownNow();
        scheduler.shutdownNow();

        assertThat(violations).isEmpty();
        assertThat(factory.opened.values()).allSatisfy(c -> assertThat(c.closes).hasValue(1));
        assertThat(factory.maxLiveSeen.get()).isLessThanOrEqualTo(MAX_POOL_SIZE);
        assertThat(factory.maxOpeningSeen.get()).isLessThanOrEqualTo(MAX_CONNECTING);
        assertThat(served.get()).as("check-outs served").isGreaterThan(1000);
        PoolStatistics s = pool.statistics();
        assertThat(s.total()).isZero();
        assertThat(s.totalCreated()).isEqualTo(s.totalClosed());
    }

    private void step(ConnectionPool<StressFactory.Conn> pool) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int dice = random.nextInt(1000);
        if (dice < 3) {
            pool.clear(random.nextBoolean());
            pool.ready();
            return;
        }
        if (dice < 60) {
            int generation = pool.statistics().generation();
            pool.checkOutAsync((c, e) -> {
                if (c != null) {
                    use(pool, c, generation, random.nextInt(20) == 0);
                } else {
                    failed.incrementAndGet();
                }
            });
            return;
        }
        int generation = pool.statistics().generation();
        PooledConnection<StressFactory.Conn> c;
        try {
            c = pool.checkOut();
        } catch (PoolClearedException | WaitQueueTimeoutException | ConnectionCreationException e) {
            failed.incrementAndGet();
            return;
        }
        use(pool, c, generation, random.nextInt(20) == 0);
    }

    private void use(ConnectionPool<StressFactory.Conn> pool, PooledConnection<StressFactory.Conn> c, int generationBefore, boolean discard) {
        served.incrementAndGet();
        Thread previous = holders.putIfAbsent(c.connection(), Thread.currentThread());
        if (previous != null) {
            violations.add("connection " + c.id() + " handed to " + Thread.currentThread().getName()
                    + " while held by " + previous.getName());
            return;
        }
        if (c.generation() < generationBefore) {
            violations.add("connection " + c.id() + " of generation " + c.generation()
                    + " handed out after the pool reached generation " + generationBefore);
        }
        if (c.connection().closes.get() != 0 && pool.statistics().generation() == c.generation()) {
            // only clear(interruptInUseConnections=true), which moves the generation on, may close a held connection
            violations.add("closed connection " + c.id() + " handed out");
        }
        for (int i = ThreadLocalRandom.current().nextInt(50); i > 0; i--) {
            Thread.onSpinWait();
        }
        holders.remove(c.connection());
        try {
            if (discard) {
                c.discard();
            } else {
                c.checkIn();
            }
        } catch (IllegalStateException e) {
            violations.add("lease of " + c.id() + " ended badly: " + e.getMessage());
        }
    }
}
