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
    private volatile CheckOutRequest<C> head;

    /** Number of waiting requests; lock-free. */
    int size() {
        return size;
    }

    void add(CheckOutRequest<C> r) {
        waiting.addLast(r);
        changed();
    }

    CheckOutRequest<C> peek() {
        return waiting.peekFirst();
    }

    /** The longest-waiting request, or null; lock-free (may be momentarily stale). */
    CheckOutRequest<C> head() {
        return head;
    }

    private void changed() {
        size = waiting.size();
        head = waiting.peekFirst();
    }

    /** Moves the head request to CONNECTING: a connection is being opened for it. */
    void startConnecting(CheckOutRequest<C> r) {
        waiting.remove(r);
        changed();
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
            changed();
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
        changed();
        for (CheckOutRequest<C> r : all) {
            r.phase = CheckOutRequest.CLAIMED;
        }
        return all;
    }
}
