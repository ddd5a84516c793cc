package dev.sluice.server.wire;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes held in incomplete inbound messages, summed over every connection that shares this
 * budget. When a connection's new bytes push the sum past {@code maxBytes}, the connections holding
 * the most are evicted (closed) until the sum fits again; nobody ever waits for memory. The sum can
 * pass {@code maxBytes} only by the socket reads that crossed it, until their eviction runs.
 *
 * <p>Thread-safe: decoders on every event loop report to it. Each decoder's share is added and
 * released exactly once, so the sum stays exact whatever the interleaving of an eviction with that
 * decoder's own reads.
 */
public final class FrameBudget {
    /** Told when a holder is evicted (counted and logged by the caller). */
    public interface EvictionListener {
        void evicted(Holder holder, long heldBytes, long budgetBytes);
    }

    /** One connection's share; implemented by {@link FrameDecoder}. */
    public interface Holder {
        /** Bytes this holder currently holds in incomplete messages. */
        long heldBytes();

        /** Closes the holder's connection; it must release its share when its channel goes. */
        void evict(long budgetBytes);
    }

    private final long maxBytes;
    private final AtomicLong held = new AtomicLong();
    private final Set<Holder> holders = ConcurrentHashMap.newKeySet();
    private final EvictionListener listener;

    public FrameBudget(long maxBytes, EvictionListener listener) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBufferedFrameBytes: " + maxBytes + " (expected: >= 1)");
        }
        this.maxBytes = maxBytes;
        this.listener = listener;
    }

    /** A budget nothing can exceed (tests, clients of Sluice's own tools). */
    public static FrameBudget unlimited() {
        return new FrameBudget(Long.MAX_VALUE, (h, b, m) -> { });
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Bytes held now in incomplete messages, over all holders. */
    public long heldBytes() {
        return held.get();
    }

    /** A holder's share changed by {@code delta}; evicts the largest holders when the sum is over budget. */
    void change(Holder holder, long delta, long holderNow) {
        long sum = held.addAndGet(delta);
        if (holderNow > 0) {
            holders.add(holder);
        } else {
            holders.remove(holder);
        }
        if (sum > maxBytes) {
            evictLargest();
        }
    }

    /** The holder is gone: its share is returned. */
    void release(Holder holder, long bytes) {
        holders.remove(holder);
        if (bytes != 0) {
            held.addAndGet(-bytes);
        }
    }

    private synchronized void evictLargest() {
        while (held.get() > maxBytes) {
            Holder largest = null;
            long most = 0;
            for (Holder h : holders) {
                long n = h.heldBytes();
                if (n > most) {
                    most = n;
                    largest = h;
                }
            }
            if (largest == null) {
                return;
            }
            holders.remove(largest);
            listener.evicted(largest, most, maxBytes);
            largest.evict(maxBytes); // releases its share at once
        }
    }
}
