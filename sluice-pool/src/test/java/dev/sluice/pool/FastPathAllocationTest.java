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
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "thread allocation counters unsupported");
        threads.setThreadAllocatedMemoryEnabled(true);
        ManualFactory factory = new ManualFactory(true);
        try (ConnectionPool<ManualFactory.Conn> pool = ConnectionPool.builder(factory).address("db1:27017")
                .settings(PoolSettings.builder().maintenanceIntervalMS(0).build()).build()) {
            pool.ready();
            pool.checkOut().checkIn();
            for (int round = 0; round < 10; round++) {
                cycle(pool);
            }
            long tid = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(tid);
            cycle(pool);
            long allocated = threads.getThreadAllocatedBytes(tid) - before;

            assertThat(allocated).as("bytes allocated by %d cycles", CYCLES).isLessThan(CYCLES / 10);
        }
    }

    private static void cycle(ConnectionPool<ManualFactory.Conn> pool) {
        for (int i = 0; i < CYCLES; i++) {
            pool.checkOut().checkIn();
        }
    }
}
