package dev.sluice.server.route;

import io.netty.util.concurrent.FastThreadLocal;

/**
 * The {@link CommandFacts} of requests seen lately on this thread, handed out again for a request whose facts are
 * the same: an application sends the same few commands over and over ({@code find} on its database, with an lsid),
 * and a record that is equal can be shared, as it is immutable. A small table per thread (an event loop), no lock;
 * a slot is overwritten on collision. Facts that change with every request (a getMore's cursor id, a txnNumber) are
 * not kept.
 */
final class RecentFacts {
    private static final int SLOTS = 32;
    private static final FastThreadLocal<CommandFacts[]> TABLE = new FastThreadLocal<>() {
        @Override
        protected CommandFacts[] initialValue() {
            return new CommandFacts[SLOTS];
        }
    };

    private RecentFacts() {
    }

    /** Facts equal to these fields: the ones seen last on this thread, or new ones. */
    static CommandFacts of(String name, String database, long cursorId, boolean lsid, long txnNumber,
                           boolean autocommit, boolean start, boolean readPreference) {
        if (cursorId != 0 || txnNumber != -1) { // new with every request (or odd): not kept
            return new CommandFacts(name, database, cursorId, lsid, txnNumber, autocommit, start, readPreference);
        }
        int hash = name.hashCode() * 31 + (database == null ? 0 : database.hashCode());
        hash = hash * 16 + (lsid ? 8 : 0) + (autocommit ? 4 : 0) + (start ? 2 : 0) + (readPreference ? 1 : 0);
        CommandFacts[] table = TABLE.get();
        int slot = (hash ^ hash >>> 11) & (SLOTS - 1);
        CommandFacts seen = table[slot];
        if (seen != null && seen.cursorId() == 0 && seen.txnNumber() == -1 && seen.hasLsid() == lsid
                && seen.autocommit() == autocommit && seen.startTransaction() == start
                && seen.hasReadPreference() == readPreference && seen.name().equals(name)
                && java.util.Objects.equals(seen.database(), database)) {
            return seen;
        }
        CommandFacts facts = new CommandFacts(name, database, cursorId, lsid, txnNumber, autocommit, start,
                readPreference);
        table[slot] = facts;
        return facts;
    }
}
