package dev.sluice.pool;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The check-out/check-in fast path allocates nothing (JMH -prof gc in sluice-bench measures it precisely). */
class FastPathAllocationTest {

    private static final int CYCLES = 20_000;

    @Test
    void checkOutAndCheckInOfAnIdleConnectionAllocateNothing() {
        assertThat(bytesOfWarmCycles(PoolListener.noop(), () -> { })).as("bytes allocated by %d cycles", CYCLES)
                .isLessThan(CYCLES / 10);
    }

    @Test
    void aListenerOfCheckOutsOnlyGetsNoCheckOutStartedNorCheckedInEventObjects() {
        java.util.List<Object> seen = new java.util.ArrayList<>();
        PoolListener checkOutsOnly = new PoolListener() {
            @Override
            public void connectionCheckedOut(ConnectionCheckedOutEvent e) {
                seen.add(e);
            }
        };
        PoolListener checkIns = new PoolListener() {
            @Override
            public void connectionCheckedIn(ConnectionCheckedInEvent e) {
                seen.add(e);
            }
        };
        assertThat(runOnce(checkOutsOnly, seen)).as("check-outs only").containsExactly(ConnectionCheckedOutEvent.class);
        assertThat(runOnce(PoolListener.of(checkOutsOnly, checkIns), seen)).as("a composite with a check-in listener")
                .containsExactly(ConnectionCheckedOutEvent.class, ConnectionCheckedInEvent.class);
        assertThat(runOnce(new RecordingListener(), seen)).as("a listener of everything: its own record").isEmpty();
    }

    @Test
    void withAListenerOfPoolEventsOnlyTheFastPathStillAllocatesNothing() {
        PoolListener clearsOnly = new PoolListener() {
            @Override
            public void poolCleared(PoolClearedEvent e) {
            }
        };
        assertThat(bytesOfWarmCycles(clearsOnly, () -> { })).isLessThan(CYCLES / 10);
    }

    @Test
    void aListenerOfCheckOutWaitsAsValuesGetsEveryCheckOutAndTheFastPathStillAllocatesNothing() {
        long[] checkOuts = new long[1];
        PoolListener waits = new PoolListener() {
            @Override
            public void connectionCheckedOut(String address, long connectionId, long durationNanos) {
                checkOuts[0]++;
            }
        };
        long[] counted = new long[1];
        long allocated = bytesOfWarmCycles(waits, () -> counted[0] = checkOuts[0]);

        assertThat(checkOuts[0] - counted[0]).as("check-outs the listener took").isEqualTo(CYCLES);
        assertThat(allocated).as("bytes allocated by %d cycles", CYCLES).isLessThan(CYCLES / 10);
    }

    @Test
    void aCheckOutReachesListenersOfEitherFormAloneOrTogether() {
        java.util.List<Object> seen = new java.util.ArrayList<>();
        PoolListener values = new PoolListener() {
            @Override
            public void connectionCheckedOut(String address, long connectionId, long durationNanos) {
                seen.add(address + "#" + connectionId);
            }
        };
        PoolListener events = new PoolListener() {
            @Override
            public void connectionCheckedOut(ConnectionCheckedOutEvent e) {
                seen.add(e);
            }
        };
        assertThat(runOnce(values, seen)).as("values alone").containsExactly(String.class);
        assertThat(seen).containsExactly("db1:27017#1");
        assertThat(runOnce(PoolListener.of(values, events), seen)).as("both, in order")
                .containsExactly(String.class, ConnectionCheckedOutEvent.class);
        assertThat(((ConnectionCheckedOutEvent) seen.get(1)).connectionId()).isEqualTo(1);

        seen.clear(); // an event handed to a composite by hand reaches both forms too
        PoolListener.of(values, events).connectionCheckedOut(new ConnectionCheckedOutEvent("db2:27017", 7, 5L));
        assertThat(seen).containsExactly("db2:27017#7", new ConnectionCheckedOutEvent("db2:27017", 7, 5L));
    }

    /** The event classes {@code seen} got from one check-out and check-in with {@code listener}. */
    private static java.util.List<Class<?>> runOnce(PoolListener listener, java.util.List<Object> seen) {
        seen.clear();
        try (ConnectionPool<ManualFactory.Conn> pool = ConnectionPool.builder(new ManualFactory(true))
                .address("db1:27017").listener(listener)
                .settings(PoolSettings.builder().maintenanceIntervalMS(0).build()).build()) {
            pool.ready();
            pool.checkOut().checkIn();
        }
        return seen.stream().<Class<?>>map(Object::getClass).toList();
    }

    /**
     * Bytes this thread allocates in {@link #CYCLES} check-out + check-in cycles of an idle connection, with
     * {@code listener}, after ten rounds of warm-up; {@code beforeMeasuring} runs just before the measured round.
     */
    private static long bytesOfWarmCycles(PoolListener listener, Runnable beforeMeasuring) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "thread allocation counters unsupported");
        threads.setThreadAllocatedMemoryEnabled(true);
        try (ConnectionPool<ManualFactory.Conn> pool = ConnectionPool.builder(new ManualFactory(true))
                .address("db1:27017").listener(listener)
                .settings(PoolSettings.builder().maintenanceIntervalMS(0).build()).build()) {
            pool.ready();
            for (int round = 0; round < 10; round++) {
                cycle(pool);
            }
            beforeMeasuring.run();
            long tid = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(tid);
            cycle(pool);
            return threads.getThreadAllocatedBytes(tid) - before;
        }
    }

    private static void cycle(ConnectionPool<ManualFactory.Conn> pool) {
        for (int i = 0; i < CYCLES; i++) {
            pool.checkOut().checkIn();
        }
    }
}
