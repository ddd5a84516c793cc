package dev.sluice.pool.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The established connections of a pool: a copy-on-write array scanned lock-free by check-outs. Each thread starts
 * its scan where it last found a free entry, so threads mostly keep to "their" connection and rarely contend on the
 * same CAS. Writes (add, remove) happen only under the pool's lock.
 *
 * @param <C> the connection type
 */
final class EntryBag<C> {

    @SuppressWarnings("rawtypes")
    private static final PoolEntry[] EMPTY = new PoolEntry[0];

    @SuppressWarnings("unchecked")
    private volatile PoolEntry<C>[] entries = EMPTY;
    private final ThreadLocal<int[]> hints = ThreadLocal.withInitial(EntryBag::newHint);

    private static int[] newHint() {
        // spread first scans of different threads over the array
        @SuppressWarnings("deprecation")
        long tid = Thread.currentThread().getId();
        return new int[] {(int) ((tid * 0x9E3779B97F4A7C15L) >>> 33)};
    }

    /** Takes an available entry (now IN_USE for the caller), or returns null. Lock-free, allocation-free. */
    PoolEntry<C> borrow() {
        PoolEntry<C>[] a = entries;
        int n = a.length;
        if (n == 0) {
            return null;
        }
        int[] hint = hints.get();
        int start = hint[0];
        if (start >= n) {
            start = start % n;
        }
        int i = start;
        do {
            PoolEntry<C> e = a[i];
            if (e.tryAcquire()) {
                hint[0] = i;
                return e;
            }
            if (++i == n) {
                i = 0;
            }
        } while (i != start);
        return null;
    }

    /** The current entries; never modify the array. */
    PoolEntry<C>[] snapshot() {
        return entries;
    }

    int size() {
        return entries.length;
    }

    /** Under the pool's lock. */
    void add(PoolEntry<C> e) {
        PoolEntry<C>[] a = entries;
        PoolEntry<C>[] b = java.util.Arrays.copyOf(a, a.length + 1);
        b[a.length] = e;
        entries = b;
    }

    /** Under the pool's lock. */
    void remove(PoolEntry<C> e) {
        PoolEntry<C>[] a = entries;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == e) {
                @SuppressWarnings("unchecked")
                PoolEntry<C>[] b = new PoolEntry[a.length - 1];
                System.arraycopy(a, 0, b, 0, i);
                System.arraycopy(a, i + 1, b, i, a.length - i - 1);
                entries = b;
                return;
            }
        }
    }

    /** Under the pool's lock: moves every entry in {@code from} state to {@code to} and returns them. */
    List<PoolEntry<C>> transitionAll(int from, int to) {
        List<PoolEntry<C>> moved = new ArrayList<>();
        for (PoolEntry<C> e : entries) {
            if (e.state() == from && e.transition(from, to)) {
                moved.add(e);
            }
        }
        return moved;
    }

    /** Under the pool's lock: moves at most {@code limit} entries in {@code from} state to {@code to}. */
    List<PoolEntry<C>> transitionSome(int from, int to, int limit) {
        List<PoolEntry<C>> moved = new ArrayList<>();
        for (PoolEntry<C> e : entries) {
            if (moved.size() >= limit) {
                break;
            }
            if (e.state() == from && e.transition(from, to)) {
                moved.add(e);
            }
        }
        return moved;
    }

    int count(int state) {
        int n = 0;
        for (PoolEntry<C> e : entries) {
            if (e.state() == state) {
                n++;
            }
        }
        return n;
    }
}
