package dev.sluice.server.route;

import dev.sluice.pool.PooledConnection;
import dev.sluice.server.upstream.BackendConnection;
import dev.sluice.server.wire.CommandBody;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * A forwarded operation in progress. When its client goes away or is killed ({@link #cancel}), a
 * request already handed to its backend connection is let to complete: its reply is read and
 * dropped and the connection returned to the pool (its state is known), unless no reply comes
 * within the connection's drain timeout (socketTimeoutMS, or 5 s when 0): then the connection is
 * closed. An exhaust stream is not drained (the router closes it). An acknowledged request still
 * waiting for a connection is dropped (the connection is returned unused); an unacknowledged one
 * (moreToCome) is sent anyway, as mongod runs a fire-and-forget write whose client left. An
 * operation that runs to completion (a retryable write Sluice records for its retries) ignores the
 * cancel altogether: it is sent, its reply recorded, and its connection ends as for any reply.
 *
 * <p>A {@link Forwarding} is its own InFlight (one object per forwarded operation, not two); a retryable write that
 * Sluice deduplicates has one of its own, which outlives its attempts.
 */
public class InFlight {
    private static final Logger LOG = LoggerFactory.getLogger(InFlight.class);

    /** The command whose lsid a client's departure kills upstream (decoded only then), or null. */
    private final CommandBody session;
    private final boolean unacknowledged;
    private final boolean runsToCompletion;
    private PooledConnection<BackendConnection> connection;
    private boolean cancelled;
    private boolean finished;
    private List<Runnable> whenEnded;

    /** An operation with no session to kill, that a client's departure does not stop. */
    public InFlight() {
        this(null, false, false);
    }

    /** @param runsToCompletion a cancel neither stops it from being sent nor closes its connection */
    InFlight(boolean runsToCompletion) {
        this(null, false, runsToCompletion);
    }

    /**
     * @param session          an acknowledged request that has an lsid (its work can be killed upstream), or null
     * @param unacknowledged   the client expects no reply (moreToCome): it runs even if the client leaves
     * @param runsToCompletion a cancel neither stops it from being sent nor closes its connection
     */
    InFlight(CommandBody session, boolean unacknowledged, boolean runsToCompletion) {
        this.session = session;
        this.unacknowledged = unacknowledged;
        this.runsToCompletion = runsToCompletion;
    }

    /**
     * Attaches the borrowed connection; false (and the connection is returned) if the client left
     * before and the request is not to be sent.
     */
    boolean attach(PooledConnection<BackendConnection> c) {
        synchronized (this) {
            if (cancelled && !unacknowledged && !runsToCompletion) {
                c.checkIn();
                return false;
            }
            connection = c;
            if (!cancelled || runsToCompletion) {
                return true;
            }
        }
        drainWithin(c.connection());
        return true;
    }

    /** The operation completed: returns the connection to its pool. */
    void finish() {
        PooledConnection<BackendConnection> c = take();
        if (c != null) {
            c.checkIn();
        }
        ended();
    }

    /** The connection's state is unknown: close it instead of returning it. */
    void discard() {
        PooledConnection<BackendConnection> c = take();
        if (c != null) {
            c.discard();
        }
        ended();
    }

    /**
     * The attempt on the attached connection is over but the operation goes on (it is replayed on another server):
     * the connection is returned ({@code reusable}: it answered) or closed. If the client has gone meanwhile, the
     * operation ends instead.
     *
     * @return false when the operation ended (its client is gone, or it had ended): do not go on
     */
    boolean detach(boolean reusable) {
        PooledConnection<BackendConnection> c;
        boolean gone;
        synchronized (this) {
            if (finished) {
                return false;
            }
            c = connection;
            connection = null;
            gone = cancelled && !unacknowledged && !runsToCompletion;
            if (gone) {
                finished = true;
            }
        }
        if (c != null) {
            if (reusable) {
                c.checkIn();
            } else {
                c.discard();
            }
        }
        if (gone) {
            ended();
        }
        return !gone;
    }

    /** Ends the operation once: the connection it held, or null (none, or already ended). */
    private synchronized PooledConnection<BackendConnection> take() {
        if (finished) {
            return null;
        }
        finished = true;
        PooledConnection<BackendConnection> c = connection;
        connection = null;
        return c;
    }

    private void ended() {
        List<Runnable> tasks;
        synchronized (this) {
            if (!finished || whenEnded == null) {
                return;
            }
            tasks = whenEnded;
            whenEnded = null;
        }
        for (Runnable task : tasks) {
            task.run();
        }
    }

    public synchronized boolean isCancelled() {
        return cancelled;
    }

    /** The session of the request (acknowledged requests only), or null: read from the command when asked. */
    public BsonDocument lsid() {
        if (session == null) {
            return null;
        }
        BsonValue lsid = session.document().get("lsid");
        return lsid != null && lsid.isDocument() ? lsid.asDocument() : null;
    }

    /** The host of the connection the request runs on, or null while it has none (or has ended). */
    public synchronized String host() {
        return connection == null ? null : connection.connection().host();
    }

    /**
     * The client went away: the request, if already on a connection, completes unseen (bounded by
     * the connection's drain timeout); a pending checkout is returned when it arrives.
     *
     * @return true when a request is still running upstream (it was sent, or is being sent)
     */
    public boolean cancel() {
        PooledConnection<BackendConnection> c;
        synchronized (this) {
            if (cancelled) {
                return false;
            }
            cancelled = true;
            if (finished) {
                return false;
            }
            if (runsToCompletion) {
                return true; // sent (or to be sent) and recorded whatever its client does
            }
            if (connection == null) {
                return unacknowledged; // sent when its connection comes (see attach)
            }
            c = connection;
        }
        drainWithin(c.connection());
        return true;
    }

    /** Closes the connection if the operation has not ended within its drain timeout. */
    private void drainWithin(BackendConnection backend) {
        long drainMS = backend.drainTimeoutMS();
        backend.schedule(() -> {
            if (!isFinished()) {
                LOG.debug("[route] no reply on {} within {} ms after its client went away "
                        + "(socketTimeoutMS, or 5000 when 0): closing it", backend, drainMS);
                discard();
            }
        }, drainMS);
    }

    private synchronized boolean isFinished() {
        return finished;
    }

    /** Runs {@code task} once the operation has ended (now, if it has), on the thread that ends it. */
    public void whenEnded(Runnable task) {
        synchronized (this) {
            if (!finished) {
                if (whenEnded == null) {
                    whenEnded = new ArrayList<>(1);
                }
                whenEnded.add(task);
                return;
            }
        }
        task.run();
    }
}
