package dev.sluice.server.route;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open cursors: which upstream host owns each cursor id, its namespace, and which client connection
 * used it last (drivers may run getMore on any of their connections, so ownership follows use).
 */
public final class CursorTable {
    /** One open cursor. */
    public record Cursor(long id, String host, String namespace, Object owner) {
    }

    private final ConcurrentHashMap<Long, Cursor> cursors = new ConcurrentHashMap<>();

    public void opened(long id, String host, String namespace, Object owner) {
        cursors.put(id, new Cursor(id, host, namespace, owner));
    }

    /** A getMore used the cursor: it now belongs to that client connection. */
    public void used(long id, Object owner) {
        cursors.computeIfPresent(id, (k, c) -> c.owner() == owner ? c : new Cursor(c.id(), c.host(), c.namespace(), owner));
    }

    public void closed(long id) {
        cursors.remove(id);
    }

    public Cursor find(long id) {
        return cursors.get(id);
    }

    /** Removes and returns the cursors a client connection owns (it is going away). */
    public List<Cursor> removeOwnedBy(Object owner) {
        List<Cursor> owned = new ArrayList<>();
        for (Cursor c : cursors.values()) {
            if (c.owner() == owner && cursors.remove(c.id(), c)) {
                owned.add(c);
            }
        }
        return owned;
    }

    /** The client connections that own at least one entry now (a drain leaves them open). */
    public java.util.Set<Object> owners() {
        java.util.Set<Object> owners = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (var e : cursors.values()) {
            owners.add(e.owner());
        }
        return owners;
    }

    public int size() {
        return cursors.size();
    }
}
