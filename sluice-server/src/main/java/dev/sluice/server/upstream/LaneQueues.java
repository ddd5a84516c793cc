package dev.sluice.server.upstream;

/**
 * Where a check-out waits when every lane of a pool is exhausted (no idle connection, no room to open one): in the
 * lane whose queue moves fastest, judged by how long its longest-waiting check-out has waited so far. Each lane's
 * wait queue is FIFO, but the lanes run at their event loops' speeds: waiting only in its own lane, a client of a
 * slower loop (busier, or given less CPU) is served less often than the others (measured with CrowdBenchmark: up
 * to 1.3x fewer operations per client). Comparing queue lengths is not enough, since equal queues drain at unequal
 * speeds. A client stays in its own lane unless another one's wait is shorter by more than an eighth, so that most
 * operations keep to their own loop.
 */
final class LaneQueues {
    private LaneQueues() {
    }

    /**
     * True when a lane whose longest wait is {@code waitNanos} serves sooner than one whose longest wait is
     * {@code thanNanos}, by more than an eighth of the latter.
     */
    static boolean waitsLess(long waitNanos, long thanNanos) {
        return waitNanos < thanNanos - (thanNanos >> 3);
    }
}
