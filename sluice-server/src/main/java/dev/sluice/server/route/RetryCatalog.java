package dev.sluice.server.route;

import org.bson.BsonBinaryReader;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.DecoderContext;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What mongod's session catalog keeps for retryable writes, kept by Sluice for an upstream that does
 * not deduplicate retried writes (the embedded backend): per session (lsid), the txnNumber of its
 * latest retryable write and, once it completed, its reply. A retry with the same lsid + txnNumber
 * gets that reply instead of being applied again; a retry that arrives while the first attempt is
 * still running upstream waits for it. Bounded: a session unused for {@code sessionTimeoutMillis}
 * (logicalSessionTimeoutMinutes) is forgotten, at most {@code maxSessions} sessions are held and
 * at most {@code maxReplyBytes} of replies. One lock; waiters are told outside it.
 */
public final class RetryCatalog {
    /** Sessions held at most; a write from one more session is refused (mongod's maxSessions, smaller). */
    public static final int MAX_SESSIONS = 100_000;
    /** Bytes of replies held at most; past it a completed write keeps no reply and its retry gets an error. */
    public static final long MAX_REPLY_BYTES = 64L * 1024 * 1024;
    /** Minutes a session is kept after its last use: what Sluice advertises as logicalSessionTimeoutMinutes. */
    public static final int SESSION_TIMEOUT_MINUTES = 30;

    static final int TRANSACTION_TOO_OLD = 225;
    static final int INCOMPLETE_TRANSACTION_HISTORY = 217;
    static final int TOO_MANY_LOGICAL_SESSIONS = 261;

    /** What to do with a retryable write. */
    public sealed interface Decision permits Execute, Replay, Await, Refuse, Again {
    }

    /** Send it upstream; report its outcome to the attempt. */
    public record Execute(Attempt attempt) implements Decision {
    }

    /** It completed before: answer with this reply (the body of the first attempt's reply). */
    public record Replay(RawBsonDocument reply) implements Decision {
    }

    /** The first attempt is still running upstream: wait for its outcome. */
    public record Await(Attempt attempt) implements Decision {
    }

    /** Answer with this error, applying nothing. */
    public record Refuse(int code, String codeName, String message) implements Decision {
    }

    /** The attempt waited on was never sent upstream: ask again. */
    public record Again() implements Decision {
    }

    private enum State { RUNNING, DONE, UNKNOWN }

    private final LongSupplier nowMillis;
    private final long sessionTimeoutMillis;
    private final int maxSessions;
    private final long maxReplyBytes;
    /** In access order: the least recently used session first, so expiry looks only at the head. */
    private final LinkedHashMap<BsonDocument, Attempt> sessions = new LinkedHashMap<>(64, 0.75f, true);
    private long replyBytes;

    /** The defaults: 30 minutes, {@link #MAX_SESSIONS}, {@link #MAX_REPLY_BYTES}. */
    public RetryCatalog(LongSupplier nowMillis) {
        this(nowMillis, SESSION_TIMEOUT_MINUTES * 60_000L, MAX_SESSIONS, MAX_REPLY_BYTES);
    }

    RetryCatalog(LongSupplier nowMillis, long sessionTimeoutMillis, int maxSessions, long maxReplyBytes) {
        this.nowMillis = nowMillis;
        this.sessionTimeoutMillis = sessionTimeoutMillis;
        this.maxSessions = maxSessions;
        this.maxReplyBytes = maxReplyBytes;
    }

    /** The timeout Sluice advertises to clients, in minutes. */
    public int sessionTimeoutMinutes() {
        return (int) Math.max(1, sessionTimeoutMillis / 60_000L);
    }

    /**
     * Admits one retryable write.
     *
     * @param lsid      the session id (copied: the caller's document may share a larger buffer)
     * @param txnNumber its txnNumber
     */
    public Decision admit(BsonDocument sessionId, long txnNumber) {
        BsonDocument lsid = copy(sessionId);
        synchronized (this) {
            long now = nowMillis.getAsLong();
            expire(now);
            Attempt current = sessions.get(lsid);
            if (current != null) {
                current.lastUsed = now;
                if (txnNumber < current.txnNumber) {
                    return new Refuse(TRANSACTION_TOO_OLD, "TransactionTooOld", "Retryable write with txnNumber "
                            + txnNumber + " is prohibited on session " + lsid.toJson()
                            + " because a newer retryable write with txnNumber " + current.txnNumber
                            + " has already started on this session.");
                }
                if (txnNumber == current.txnNumber) {
                    return switch (current.state) {
                        case RUNNING -> new Await(current);
                        case DONE -> current.reply != null ? new Replay(current.reply) : notKept(current);
                        case UNKNOWN -> unknown(current);
                    };
                }
                forget(current);
            } else if (sessions.size() >= maxSessions) {
                return new Refuse(TOO_MANY_LOGICAL_SESSIONS, "TooManyLogicalSessions", "Unable to add session "
                        + lsid.toJson() + " to Sluice's retryable-write catalog: it holds " + sessions.size()
                        + " sessions (limit RetryCatalog.MAX_SESSIONS=" + maxSessions + ", each kept "
                        + sessionTimeoutMinutes() + " minutes after its last use or until endSessions)");
            }
            Attempt attempt = new Attempt(lsid, txnNumber, now);
            sessions.put(attempt.lsid, attempt);
            return new Execute(attempt);
        }
    }

    /** Forgets ended sessions (endSessions): their lsids are never used again. */
    public synchronized void end(List<BsonDocument> lsids) {
        for (BsonDocument lsid : lsids) {
            Attempt a = sessions.get(copy(lsid));
            if (a != null) {
                forget(a);
            }
        }
    }

    /** Sessions held. */
    public synchronized int size() {
        return sessions.size();
    }

    /** Bytes of replies held. */
    public synchronized long replyBytes() {
        return replyBytes;
    }

    private void expire(long now) {
        Iterator<Attempt> it = sessions.values().iterator();
        while (it.hasNext()) {
            Attempt a = it.next();
            if (now - a.lastUsed < sessionTimeoutMillis) {
                return;
            }
            if (a.state != State.RUNNING) {
                it.remove();
                release(a);
            }
        }
    }

    private void forget(Attempt a) {
        sessions.remove(a.lsid);
        release(a);
    }

    private void release(Attempt a) {
        a.current = false;
        if (a.counted) {
            a.counted = false;
            replyBytes -= a.reply.getByteBuffer().remaining();
        }
    }

    private Refuse notKept(Attempt a) {
        return new Refuse(INCOMPLETE_TRANSACTION_HISTORY, "IncompleteTransactionHistory", "Retryable write with txnNumber "
                + a.txnNumber + " on session " + a.lsid.toJson() + " was applied, but Sluice kept no reply for it: "
                + "replies held by its retryable-write catalog reached RetryCatalog.MAX_REPLY_BYTES=" + maxReplyBytes
                + "; it is not applied again");
    }

    private Refuse unknown(Attempt a) {
        return new Refuse(INCOMPLETE_TRANSACTION_HISTORY, "IncompleteTransactionHistory", "Retryable write with txnNumber "
                + a.txnNumber + " on session " + a.lsid.toJson() + " lost its connection to the upstream after it was "
                + "sent: whether it was applied is unknown, so Sluice does not apply it again");
    }

    private static BsonDocument copy(BsonDocument lsid) {
        // a plain document: a RawBsonDocument taken from a command shares the whole command's bytes
        if (lsid instanceof RawBsonDocument raw) {
            try (BsonBinaryReader reader = new BsonBinaryReader(raw.getByteBuffer().asNIO())) {
                return new BsonDocumentCodec().decode(reader, DecoderContext.builder().build());
            }
        }
        return lsid.clone();
    }

    /** One retryable write in the catalog; its outcome is reported by whoever executes it. */
    public final class Attempt {
        private final BsonDocument lsid;
        private final long txnNumber;
        private long lastUsed;
        private State state = State.RUNNING;
        private RawBsonDocument reply;
        /** Its reply counts towards {@link #replyBytes}. */
        private boolean counted;
        private boolean sent;
        /** Still the session's entry (not replaced by a newer txnNumber, ended or expired). */
        private boolean current = true;
        private List<Consumer<Decision>> waiters;

        private Attempt(BsonDocument lsid, long txnNumber, long now) {
            this.lsid = lsid;
            this.txnNumber = txnNumber;
            this.lastUsed = now;
        }

        /** Runs {@code waiter} with the outcome once known (at once, on the caller's thread, if it is). */
        public void await(Consumer<Decision> waiter) {
            Decision now;
            synchronized (RetryCatalog.this) {
                if (state == State.RUNNING) {
                    if (waiters == null) {
                        waiters = new ArrayList<>(2);
                    }
                    waiters.add(waiter);
                    return;
                }
                now = outcome();
            }
            waiter.accept(now);
        }

        /** The write is being written upstream: from now on its outcome counts even if it fails. */
        public void sent() {
            synchronized (RetryCatalog.this) {
                sent = true;
            }
        }

        /** The upstream answered: an ok reply is kept (and replayed to retries); an error is forgotten. */
        public void replied(RawBsonDocument body) {
            boolean ok = isOk(body);
            List<Consumer<Decision>> toTell;
            Decision outcome;
            synchronized (RetryCatalog.this) {
                if (!ok) {
                    // mongod records no statement of a failed command: a retry executes it again
                    toTell = abandonLocked();
                    outcome = new Again();
                } else {
                    state = State.DONE;
                    long size = body.getByteBuffer().remaining();
                    if (!current) {
                        reply = body; // out of the catalog: only its own waiters can still ask
                    } else if (replyBytes + size <= maxReplyBytes) {
                        reply = body;
                        counted = true;
                        replyBytes += size;
                    }
                    toTell = takeWaiters();
                    outcome = new Replay(body);
                }
            }
            tell(toTell, outcome);
        }

        /** The attempt failed: before it was sent nothing was applied (forgotten); after, its outcome is unknown. */
        public void failed() {
            List<Consumer<Decision>> toTell;
            Decision outcome;
            synchronized (RetryCatalog.this) {
                if (!sent) {
                    toTell = abandonLocked();
                    outcome = new Again();
                } else {
                    state = State.UNKNOWN;
                    toTell = takeWaiters();
                    outcome = unknown(this);
                }
            }
            tell(toTell, outcome);
        }

        private List<Consumer<Decision>> abandonLocked() {
            state = State.UNKNOWN;
            if (current) {
                forget(this);
            }
            return takeWaiters();
        }

        private Decision outcome() {
            if (state == State.UNKNOWN) {
                return sent ? unknown(this) : new Again();
            }
            return reply != null ? new Replay(reply) : notKept(this);
        }

        private List<Consumer<Decision>> takeWaiters() {
            List<Consumer<Decision>> w = waiters;
            waiters = null;
            return w;
        }

        private static void tell(List<Consumer<Decision>> waiters, Decision outcome) {
            if (waiters != null) {
                for (Consumer<Decision> w : waiters) {
                    w.accept(outcome);
                }
            }
        }

        private static boolean isOk(RawBsonDocument body) {
            var ok = body.get("ok");
            return ok != null && ok.isNumber() && ok.asNumber().doubleValue() == 1.0;
        }
    }
}
