package dev.sluice.pool.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The pool's FIFO of waiting check-outs, plus the check-outs a connection is being opened for. Every method runs
 * under the pool's lock, except {@link #size()}, which the lock-free fast path reads: while anyone waits, new
 * check-outs queue behind them instead of taking a connection first.
 *
 * @param <C> the connection type
 */
final class WaitQueue<C> {

    private final ArrayDeque<CheckOutRequest<C>> waiting = new ArrayDeque<>();
    private final List<CheckOutRequest<C>> connecting = new ArrayList<>();
    private volatile int size;

    /** Number of waiting requests; lock-free. */
    int size() {
        return size;
    }

    void add(CheckOutRequest<C> r) {
        waiting.addLast(r);
        size = waiting.size();
    }

    CheckOutRequest<C> peek() {
        return waiting.peekFirst();
    }

    /** Moves the head request to CONNECTING: a connection is being opened for it. */
    void startConnecting(CheckOutRequest<C> r) {
        waiting.remove(r);
        size = waiting.size();
        r.phase = CheckOutRequest.CONNECTING;
        connecting.add(r);
    }

    /**
     * Claims a request for delivery, wherever it is.
     *
     * @return false if someone else claimed it first
     */
    boolean claim(CheckOutRequest<C> r) {
        if (r.phase == CheckOutRequest.WAITING) {
            waiting.remove(r);
            size = waiting.size();
        } else if (r.phase == CheckOutRequest.CONNECTING) {
            connecting.remove(r);
        } else {
            return false;
        }
        r.phase = CheckOutRequest.CLAIMED;
        return true;
    }

    /** Claims every request, waiting or connecting, in arrival order of the waiting ones. */
    List<CheckOutRequest<C>> claimAll() {
        List<CheckOutRequest<C>> all = new ArrayList<>(connecting);
        all.addAll(waiting);
        connecting.clear();
        waiting.clear();
        size = 0;
        for (CheckOutRequest<C> r : all) {
            r.phase = CheckOutRequest.CLAIMED;
        }
        return all;
    }
}
