package dev.sluice.server.route;

import dev.sluice.pool.PooledConnection;
import dev.sluice.server.upstream.BackendConnection;
import dev.sluice.server.upstream.HostPool;
import dev.sluice.server.upstream.ReplyListener;
import dev.sluice.server.upstream.UpstreamException;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a request whose client expects no reply (moreToCome). Upstream is asked for one anyway (moreToCome
 * cleared), so the connection goes back to the pool in a known state and failures are logged. Never replayed;
 * the client is told once the request is done with ({@link ForwardCallback#onSent}).
 */
final class UnacknowledgedSend implements ReplyListener {
    private static final Logger LOG = LoggerFactory.getLogger(UnacknowledgedSend.class);

    private final Forwarder operation;
    private final HostPool pool;
    private final PooledConnection<BackendConnection> pooled;

    UnacknowledgedSend(Forwarder operation, HostPool pool, PooledConnection<BackendConnection> pooled) {
        this.operation = operation;
        this.pool = pool;
        this.pooled = pooled;
    }

    void send(ByteBuf frame) {
        OpMsg.setFlags(frame, OpMsg.flags(frame) & ~OpMsg.MORE_TO_COME);
        OpMsg.updateChecksumIfPresent(frame);
        pooled.connection().send(frame, operation.request.commandName(), this, null);
    }

    @Override
    public void onReply(ByteBuf reply, boolean moreToCome) {
        if (LOG.isDebugEnabled() && !ReplyInspector.read(reply).ok()) {
            LOG.debug("[route] unacknowledged {} got an error reply upstream (the client asked for none)",
                    operation.request.commandName());
        }
        reply.release();
        if (!moreToCome) {
            pool.operationEnded();
            operation.inFlight.finish();
            operation.callback.onSent();
        }
    }

    @Override
    public void onFailure(UpstreamException cause) {
        InFlight inFlight = operation.inFlight;
        pool.operationEnded();
        inFlight.discard();
        if (cause.isNetworkError() && !inFlight.isCancelled()) {
            UpstreamErrors.network(operation.cluster(), pool.host(), pooled, cause);
        }
        if (inFlight.isCancelled()) {
            LOG.debug("[route] unacknowledged {} of a client gone failed upstream: {}",
                    operation.request.commandName(), cause.getMessage());
        } else {
            LOG.info("[route] unacknowledged {} failed upstream: {}", operation.request.commandName(), cause.getMessage());
        }
        operation.callback.onSent();
    }
}
