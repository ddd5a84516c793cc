package dev.sluice.server.upstream;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Operations waiting for the topology to change (no suitable server yet). A waiter registers with the change
 * count it saw; a change since then runs it at once, so no wake-up is lost between a failed selection and the
 * registration. Each waiter runs once.
 */
final class SelectionWaiters {
    private final Set<Runnable> waiting = new LinkedHashSet<>();
    private long changes;

    /** The number of changes so far: pass it to {@link #await} after a selection that found nothing. */
    synchronized long changes() {
        return changes;
    }

    /**
     * Runs {@code wake} at the next change, or now (on this thread) when one happened since {@code seen}.
     */
    void await(long seen, Runnable wake) {
        synchronized (this) {
            if (changes == seen) {
                waiting.add(wake);
                return;
            }
        }
        wake.run();
    }

    /** Forgets a waiter that gave up (its deadline passed). */
    synchronized void remove(Runnable wake) {
        waiting.remove(wake);
    }

    /** The topology changed: wakes every waiter (each runs on this thread: they only hand off). */
    void changed() {
        List<Runnable> woken;
        synchronized (this) {
            changes++;
            if (waiting.isEmpty()) {
                return;
            }
            woken = new ArrayList<>(waiting);
            waiting.clear();
        }
        for (Runnable r : woken) {
            r.run();
        }
    }

    /** Waiters now. */
    synchronized int size() {
        return waiting.size();
    }
}
