package dev.sluice.server.route;

import dev.sluice.pool.CheckOutCallback;
import dev.sluice.pool.PoolException;
import dev.sluice.pool.PooledConnection;
import dev.sluice.server.upstream.BackendConnection;
import dev.sluice.server.upstream.HostPool;
import dev.sluice.server.upstream.ReplyListener;
import dev.sluice.server.upstream.UpstreamException;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;

/**
 * One attempt of a {@link Forwarding} on one host: checks a connection out of the host's pool (skipping dead idle
 * ones), sends the request, and ends the operation with the reply: the cursor and transaction tables updated
 * ({@link Pins}), the pool told, the reply handed to the client. Errors go to the topology ({@link UpstreamErrors});
 * a retryable one before anything reached the client goes back to the operation, which may replay it elsewhere.
 * It is the reply listener of its own send; an unacknowledged request is sent by {@link UnacknowledgedSend}.
 */
final class Forwarder implements ReplyListener, CheckOutCallback<BackendConnection> {
    /** Dead idle connections skipped per check-out before the request fails on one. */
    private static final int MAX_DEAD_CONNECTIONS_SKIPPED = 8;

    private final Forwarding operation;
    private final HostPool pool;
    /** The pool's generation when the check-out began (errors before the handshake are judged by it). */
    private final int generation;
    private PooledConnection<BackendConnection> pooled;
    /** Dead idle connections skipped so far by this attempt's check-out. */
    private int skipped;
    /** This attempt is over (its last reply came, or it was given up): later failures are not its business. */
    private boolean ended;
    /** A reply of an exhaust stream reached the client: the operation can no longer be replayed. */
    private boolean delivered;

    Forwarder(Forwarding operation, HostPool pool, int generation) {
        this.operation = operation;
        this.pool = pool;
        this.generation = generation;
    }

    void checkOut() {
        operation.pins.connections().checkOut(pool, operation.request, this);
    }

    /** The check-out ended (this attempt is its own callback: no object per check-out). */
    @Override
    public void completed(PooledConnection<BackendConnection> connection, PoolException error) {
        if (error != null) {
            pool.operationEnded();
            operation.noConnection(pool, generation,
                    UpstreamErrors.checkOutFailed(pool, error, operation.pins.connections()));
            return;
        }
        if (!connection.connection().isUsable() && skipped < MAX_DEAD_CONNECTIONS_SKIPPED) {
            connection.discard();
            skipped++;
            checkOut();
            return;
        }
        if (!operation.inFlight.attach(connection)) {
            pool.operationEnded(); // its client went away: nothing is sent
            operation.releaseFrame();
            operation.writeFailed();
            return;
        }
        if (operation.request.moreToCome()) {
            new UnacknowledgedSend(operation, pool, connection).send(operation.takeFrame());
        } else {
            pooled = connection;
            ByteBuf frame = operation.frameToSend();
            connection.connection().send(frame, operation.request.commandName(), this, null);
        }
    }

    @Override
    public void onReply(ByteBuf reply, boolean moreToCome) {
        InFlight inFlight = operation.inFlight;
        if (moreToCome && (inFlight.isCancelled() || !ReplyInspector.read(reply).ok())) {
            endStream(reply);
            return;
        }
        if (moreToCome) {
            delivered = true;
            operation.callback.onReply(reply, true);
            return;
        }
        ended = true;
        ReplyInspector.Facts said = ReplyInspector.read(reply);
        if (!said.ok() || said.writeConcernCode() != null) {
            UpstreamErrors.command(operation.cluster, pool.host(), pooled, reply, said);
        }
        if (!said.ok() && !delivered && operation.mayReplay() && Retryability.retryableCode(said.code())
                && !inFlight.isCancelled()) {
            reply.release();
            pool.operationEnded();
            operation.replay(pool, true, "code " + said.code());
            return;
        }
        operation.pins.connections().afterReply(operation.request, pooled, said);
        operation.pins.afterReply(operation.request, pool.host(), said);
        pool.operationEnded();
        inFlight.finish();
        operation.replied(reply);
        operation.callback.onReply(reply, false);
    }

    /**
     * An exhaust stream that cannot go on: its client is gone (the rest is not read), or upstream sent an
     * error while saying more is to come. An error is a reply: it goes to the client as the stream's last;
     * the connection, whose next bytes are unknown, is closed, not reused.
     */
    private void endStream(ByteBuf reply) {
        ended = true;
        pool.operationEnded();
        operation.releaseFrame();
        if (operation.inFlight.isCancelled()) {
            reply.release();
            operation.inFlight.discard();
            return;
        }
        OpMsg.setFlags(reply, OpMsg.flags(reply) & ~OpMsg.MORE_TO_COME);
        operation.inFlight.discard();
        operation.callback.onReply(reply, false);
    }

    @Override
    public void onFailure(UpstreamException cause) {
        InFlight inFlight = operation.inFlight;
        if (ended) {
            inFlight.discard();
            operation.writeFailed();
            return;
        }
        ended = true;
        pool.operationEnded();
        boolean cancelled = inFlight.isCancelled();
        // a client killed or gone mid-operation had its connection closed by Sluice: no network error
        if (cause.isNetworkError() && !cancelled) {
            UpstreamErrors.network(operation.cluster, pool.host(), pooled, cause);
        }
        if (!cancelled && !delivered && operation.mayReplay() && Retryability.retryableAfterSend(cause)) {
            operation.replay(pool, false, cause.getMessage());
            return;
        }
        inFlight.discard();
        operation.writeFailed();
        operation.releaseFrame();
        operation.callback.onFailure(cause);
    }
}
