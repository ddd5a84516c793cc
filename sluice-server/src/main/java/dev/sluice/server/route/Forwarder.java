package dev.sluice.server.route;

import dev.sluice.pool.CheckOutCallback;
import dev.sluice.pool.PoolException;
import dev.sluice.pool.PooledConnection;
import dev.sluice.server.upstream.BackendConnection;
import dev.sluice.server.upstream.HostPool;
import dev.sluice.server.upstream.UpstreamCluster;
import dev.sluice.server.wire.CommandBody;
import dev.sluice.server.upstream.ReplyListener;
import dev.sluice.server.upstream.UpstreamException;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;

/**
 * The attempts of a {@link Forwarding} on one host after another: checks a connection out of the host's pool
 * (skipping dead idle ones), sends the request, and ends the operation with the reply: the cursor and transaction
 * tables updated ({@link Pins}), the pool told, the reply handed to the client. Errors go to the topology
 * ({@link UpstreamErrors}); a retryable one before anything reached the client goes back to the operation, which may
 * replay it elsewhere. An unacknowledged request is sent by {@link UnacknowledgedSend}.
 *
 * <p>A Forwarding is its own attempt, as it is its own {@link InFlight}: one object per forwarded operation, not
 * one per attempt. Attempts never overlap: the pool completes a check-out once, and a backend connection forgets
 * its listener before it hands over a final reply or a failure, so nothing of an attempt can reach the next one; a
 * replay {@linkplain #attempt begins} the next attempt (resetting this state) from the callback that ends the last,
 * which returns at once.
 */
abstract class Forwarder extends InFlight implements ReplyListener, CheckOutCallback<BackendConnection> {
    /** Dead idle connections skipped per check-out before the request fails on one. */
    private static final int MAX_DEAD_CONNECTIONS_SKIPPED = 8;

    /** The tables and the cluster (its {@link Pins#cluster()}: one reference fewer per operation). */
    final Pins pins;
    final ForwardRequest request;
    final ForwardCallback callback;
    final InFlight inFlight;
    /** This attempt's host. */
    private HostPool pool;
    /** The pool's generation when the check-out began (errors before the handshake are judged by it). */
    private int generation;
    private PooledConnection<BackendConnection> pooled;
    /** Dead idle connections skipped so far by this attempt's check-out. */
    private byte skipped;
    /** This attempt is over (its last reply came, or it was given up): later failures are not its business. */
    private boolean ended;
    /** A reply of an exhaust stream reached the client: the operation can no longer be replayed. */
    private boolean delivered;

    /**
     * @param session  as {@link InFlight#InFlight(CommandBody, boolean, boolean)}
     * @param inFlight the handle of an operation that outlives this one, or null: this operation is its own handle
     */
    Forwarder(CommandBody session, Pins pins, ForwardRequest request, ForwardCallback callback, InFlight inFlight) {
        super(session, request.moreToCome(), false);
        this.pins = pins;
        this.request = request;
        this.callback = callback;
        this.inFlight = inFlight == null ? this : inFlight;
    }

    final UpstreamCluster cluster() {
        return pins.cluster();
    }

    // --- what an attempt asks of its operation (Forwarding) --------------------------------------

    /** No connection could be had: nothing was sent. */
    abstract void noConnection(HostPool pool, int generation, UpstreamException e);

    /** The attempt failed with a retryable error: the operation is sent again on a newly selected server. */
    abstract void replay(HostPool pool, boolean connectionReusable, String why);

    /** Whether a failed attempt may be sent again. */
    abstract boolean mayReplay();

    /** A copy of the frame for one send (the operation keeps its own until it ends); counts the send. */
    abstract ByteBuf frameToSend();

    /** The frame itself, for the one send of an unacknowledged request (never replayed). */
    abstract ByteBuf takeFrame();

    abstract void releaseFrame();

    /** A write Sluice deduplicates ended with no usable reply. */
    abstract void writeFailed();

    /** The final reply came: the retry catalog records it. */
    abstract void replied(ByteBuf reply);

    // --- the attempt ---------------------------------------------------------------------------

    /** Begins an attempt on {@code host}: checks a connection out of its pool. */
    final void attempt(HostPool host) {
        pool = host;
        generation = host.generation();
        pooled = null;
        skipped = 0;
        ended = false;
        delivered = false;
        checkOut();
    }

    private void checkOut() {
        pins.connections().checkOut(pool, request, this);
    }

    /** The check-out ended (the operation is its own callback: no object per check-out). */
    @Override
    public final void completed(PooledConnection<BackendConnection> connection, PoolException error) {
        if (error != null) {
            pool.operationEnded();
            noConnection(pool, generation,
                    UpstreamErrors.checkOutFailed(pool, error, pins.connections()));
            return;
        }
        if (!connection.connection().isUsable() && skipped < MAX_DEAD_CONNECTIONS_SKIPPED) {
            connection.discard();
            skipped++; // at most MAX_DEAD_CONNECTIONS_SKIPPED: a byte
            checkOut();
            return;
        }
        if (!inFlight.attach(connection)) {
            pool.operationEnded(); // its client went away: nothing is sent
            releaseFrame();
            writeFailed();
            return;
        }
        if (request.moreToCome()) {
            new UnacknowledgedSend(this, pool, connection).send(takeFrame());
        } else {
            pooled = connection;
            ByteBuf frame = frameToSend();
            connection.connection().send(frame, request.commandName(), this, null);
        }
    }

    @Override
    public final void onReply(ByteBuf reply, boolean moreToCome) {
        if (moreToCome && (inFlight.isCancelled() || !ReplyInspector.read(reply).ok())) {
            endStream(reply);
            return;
        }
        if (moreToCome) {
            delivered = true;
            callback.onReply(reply, true);
            return;
        }
        ended = true;
        ReplyInspector.Facts said = ReplyInspector.read(reply);
        if (!said.ok() || said.writeConcernCode() != null) {
            UpstreamErrors.command(cluster(), pool.host(), pooled, reply, said);
        }
        if (!said.ok() && !delivered && mayReplay() && Retryability.retryableCode(said.code())
                && !inFlight.isCancelled()) {
            reply.release();
            pool.operationEnded();
            replay(pool, true, "code " + said.code());
            return;
        }
        pins.connections().afterReply(request, pooled, said);
        pins.afterReply(request, pool.host(), said);
        pool.operationEnded();
        inFlight.finish();
        replied(reply);
        callback.onReply(reply, false);
    }

    /**
     * An exhaust stream that cannot go on: its client is gone (the rest is not read), or upstream sent an
     * error while saying more is to come. An error is a reply: it goes to the client as the stream's last;
     * the connection, whose next bytes are unknown, is closed, not reused.
     */
    private void endStream(ByteBuf reply) {
        ended = true;
        pool.operationEnded();
        releaseFrame();
        if (inFlight.isCancelled()) {
            reply.release();
            inFlight.discard();
            return;
        }
        OpMsg.setFlags(reply, OpMsg.flags(reply) & ~OpMsg.MORE_TO_COME);
        inFlight.discard();
        callback.onReply(reply, false);
    }

    @Override
    public final void onFailure(UpstreamException cause) {
        if (ended) {
            inFlight.discard();
            writeFailed();
            return;
        }
        ended = true;
        pool.operationEnded();
        boolean cancelled = inFlight.isCancelled();
        // a client killed or gone mid-operation had its connection closed by Sluice: no network error
        if (cause.isNetworkError() && !cancelled) {
            UpstreamErrors.network(cluster(), pool.host(), pooled, cause);
        }
        if (!cancelled && !delivered && mayReplay() && Retryability.retryableAfterSend(cause)) {
            replay(pool, false, cause.getMessage());
            return;
        }
        inFlight.discard();
        writeFailed();
        releaseFrame();
        callback.onFailure(cause);
    }
}
