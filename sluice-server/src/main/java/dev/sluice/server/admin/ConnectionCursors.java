package dev.sluice.server.admin;

import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.registry.ConnectionRegistry;
import dev.sluice.server.registry.RegistryListener;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The open listConnections cursors: each holds the rest of a snapshot taken when its command ran.
 * A cursor belongs to the connection that opened it (another connection cannot see it), is closed
 * when that connection closes (this is a {@link RegistryListener}) or after {@code cursorTimeout}
 * idle (checked on every use, with the injected clock), and at most {@code maxOpenCursors} are open.
 *
 * <p>Thread-safe; every method is a short critical section (the admin thread takes a cursor out to
 * build a batch and gives it back, so a connection closing on an event loop never waits for a batch).
 */
final class ConnectionCursors implements RegistryListener {
    private final ConnectionRegistry registry;
    private final Clock clock;
    private final int maxOpen;
    private final java.time.Duration timeout;
    private final Map<Long, Cursor> open = new HashMap<>();

    /** One open cursor: the rows left, who may read them, when it was last used. */
    static final class Cursor {
        private final long id;
        private final ConnectionEntry owner;
        private final List<ConnectionView> rows;
        private int next;
        private Instant lastUsed;

        private Cursor(long id, ConnectionEntry owner, List<ConnectionView> rows, int next) {
            this.id = id;
            this.owner = owner;
            this.rows = rows;
            this.next = next;
        }

        long id() {
            return id;
        }

        List<ConnectionView> rows() {
            return rows;
        }

        /** Index of the next row to return. */
        int next() {
            return next;
        }

        void advanceTo(int index) {
            next = index;
        }

        boolean exhausted() {
            return next >= rows.size();
        }
    }

    ConnectionCursors(ConnectionRegistry registry, Clock clock, AdminSettings settings) {
        this.registry = registry;
        this.clock = clock;
        this.maxOpen = settings.maxOpenCursors();
        this.timeout = settings.cursorTimeout();
    }

    /**
     * Opens a cursor over {@code rows} from index {@code next}.
     *
     * @throws CommandFailure ExceededMemoryLimit when {@code maxOpenCursors} are already open
     */
    synchronized long open(ConnectionEntry owner, List<ConnectionView> rows, int next) {
        Instant now = clock.instant();
        pruneExpired(now);
        if (open.size() >= maxOpen) {
            throw CommandFailure.exceededMemoryLimit("too many open listConnections cursors: " + open.size()
                    + " (maxOpenCursors: " + maxOpen + "); exhaust or killCursors them, or wait "
                    + timeout.toMinutes() + " minutes for idle ones to time out");
        }
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        } while (open.containsKey(id));
        Cursor cursor = new Cursor(id, owner, rows, next);
        cursor.lastUsed = now;
        if (alive(owner)) {
            open.put(id, cursor);
        }
        return id;
    }

    /**
     * Takes the cursor out to read from it; give it back with {@link #giveBack} unless exhausted.
     *
     * @throws CommandFailure CursorNotFound when there is no such cursor, it timed out, or another
     *                        connection owns it
     */
    synchronized Cursor take(long id, ConnectionEntry caller) {
        Instant now = clock.instant();
        pruneExpired(now);
        Cursor cursor = open.get(id);
        if (cursor == null || cursor.owner != caller) {
            throw CommandFailure.cursorNotFound(id);
        }
        open.remove(id);
        return cursor;
    }

    /** Puts back a cursor taken with {@link #take}, now idle; dropped if its connection has closed meanwhile. */
    synchronized void giveBack(Cursor cursor) {
        cursor.lastUsed = clock.instant();
        if (!cursor.exhausted() && alive(cursor.owner)) {
            open.put(cursor.id, cursor);
        }
    }

    /** Closes {@code caller}'s cursor {@code id}; false when it has none by that id. */
    synchronized boolean kill(long id, ConnectionEntry caller) {
        pruneExpired(clock.instant());
        Cursor cursor = open.get(id);
        if (cursor == null || cursor.owner != caller) {
            return false;
        }
        open.remove(id);
        return true;
    }

    synchronized int size() {
        return open.size();
    }

    @Override
    public synchronized void unregistered(ConnectionEntry entry) {
        open.values().removeIf(cursor -> cursor.owner == entry);
    }

    private void pruneExpired(Instant now) {
        Iterator<Cursor> it = open.values().iterator();
        while (it.hasNext()) {
            if (!now.isBefore(it.next().lastUsed.plus(timeout))) {
                it.remove();
            }
        }
    }

    /** Whether the owner's connection is still registered (an in-process caller, null, always is). */
    private boolean alive(ConnectionEntry owner) {
        return owner == null || registry.find(owner.connectionId()) == owner;
    }
}
