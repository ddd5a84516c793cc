package dev.sluice.server.upstream;

/**
 * Where a check-out waits when every lane of a pool is exhausted (no idle connection, no room to open one): in its
 * own lane, unless another lane has fewer waiters per connection by more than one. Each lane's wait queue is FIFO,
 * but the lanes run at their event loops' speeds; without this a client whose loop is slower (busier, or given less
 * CPU) keeps waiting behind a longer queue while the other lane's clients are served faster. Joining the shortest
 * queue keeps the waits of all lanes about equal, so every client waits about as long as the others, whatever its
 * loop. The margin of one waiter per connection keeps a client on its own loop when the queues are about even.
 */
final class LaneQueues {
    private LaneQueues() {
    }

    /**
     * True when a lane with {@code waiting} check-outs queued on {@code max} connections has fewer waiters per
     * connection than one with {@code thanWaiting} on {@code thanMax}, by more than one waiter per connection.
     */
    static boolean waitsLess(int waiting, int max, int thanWaiting, int thanMax) {
        long m = Math.max(1, max);
        long thanM = Math.max(1, thanMax);
        // waiting / m < thanWaiting / thanM - 1, without division
        return waiting * thanM < thanWaiting * m - m * thanM;
    }
}
