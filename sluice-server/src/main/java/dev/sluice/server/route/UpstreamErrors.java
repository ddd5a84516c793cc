package dev.sluice.server.route;

import dev.sluice.pool.PoolException;
import dev.sluice.pool.PooledConnection;
import dev.sluice.server.topology.ApplicationError;
import dev.sluice.server.topology.ErrorPhase;
import dev.sluice.server.topology.StateChangeErrors;
import dev.sluice.server.upstream.BackendConnection;
import dev.sluice.server.upstream.HostPool;
import dev.sluice.server.upstream.UpstreamCluster;
import dev.sluice.server.upstream.UpstreamException;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import org.bson.BsonDocument;

/**
 * The request path's errors, in one place: how a failure to get a server or a connection reads (an
 * {@link UpstreamException} of the right kind, with a message naming the host and the live pool figures), and
 * what is told to the topology (SDAM's application errors): network errors and timeouts with their phase and the
 * connection's pool generation, and replies saying NotPrimary, NodeIsRecovering or shutting down.
 */
final class UpstreamErrors {
    private UpstreamErrors() {
    }

    /** A server selection that found none (a read preference error is answered, not raised: see Forwarding). */
    static UpstreamException noServer(RuntimeException error) {
        return error instanceof UpstreamException u ? u : new UpstreamException(
                UpstreamException.Kind.NO_SUITABLE_SERVER, "upstream", error.getMessage(), error);
    }

    /**
     * A check-out failure of {@code pool} as an upstream error with a MongoDB code; behind a load balancer, a
     * wait-queue timeout also says how many connections cursors and transactions hold (the spec's message).
     */
    static UpstreamException checkOutFailed(HostPool pool, Throwable error, ConnectionPins pins) {
        UpstreamException e = checkOutFailed(pool, error);
        if (pool.loadBalanced() && e.kind() == UpstreamException.Kind.POOL_TIMEOUT) {
            return new UpstreamException(e.kind(), pool.host(), e.getMessage() + "; " + pins.usage(), error);
        }
        return e;
    }

    /** A check-out failure of {@code pool} as an upstream error with a MongoDB code. */
    static UpstreamException checkOutFailed(HostPool pool, Throwable error) {
        String host = pool.host();
        if (error instanceof UpstreamException u) {
            return u;
        }
        Throwable cause = error.getCause();
        if (cause instanceof UpstreamException u) {
            return u;
        }
        String message = error.getMessage();
        if (error instanceof dev.sluice.pool.WaitQueueTimeoutException) {
            if (pool.laneCount() > 1) {
                // the figures in the message are the lane's: add the host's, which the operator configured
                var s = pool.stats();
                message = message + "; host " + host + " in all: maxPoolSize=" + s.maxPoolSize() + ", inUse="
                        + s.inUse() + ", available=" + s.available() + ", pending=" + s.refreshing()
                        + ", waiting=" + s.waitQueueSize() + " over " + pool.laneCount() + " event-loop lanes";
            }
            return new UpstreamException(UpstreamException.Kind.POOL_TIMEOUT, host, message, error);
        }
        if (error instanceof dev.sluice.pool.PoolClosedException) {
            return new UpstreamException(UpstreamException.Kind.SHUTTING_DOWN, host,
                    "Sluice is shutting down: pool for " + host + " is closed", error);
        }
        if (error instanceof dev.sluice.pool.PoolClearedException) {
            return new UpstreamException(UpstreamException.Kind.POOL_CLEARED, host, message, error);
        }
        if (error instanceof PoolException) {
            return new UpstreamException(UpstreamException.Kind.HOST_UNREACHABLE, host,
                    "cannot connect to upstream " + host + ": " + message, error);
        }
        return new UpstreamException(UpstreamException.Kind.HOST_UNREACHABLE, host,
                "cannot reach upstream " + host + ": " + message, error);
    }

    /**
     * No connection could be opened (connect, TLS, hello or authentication failed): an error before the handshake
     * completed. With the backpressure labels (a network error or timeout before the hello was answered) the
     * topology leaves the server and its pool alone.
     */
    static void connectionFailed(UpstreamCluster cluster, String host, int generation, UpstreamException e) {
        switch (e.kind()) {
            case HOST_UNREACHABLE, NETWORK_ERROR, PROTOCOL_ERROR -> cluster.onApplicationError(host,
                    ApplicationError.network(ErrorPhase.BEFORE_HANDSHAKE, generation, e.getMessage())
                            .withSystemOverloaded(e.systemOverloaded()));
            case NETWORK_TIMEOUT -> cluster.onApplicationError(host,
                    ApplicationError.timeout(ErrorPhase.BEFORE_HANDSHAKE, generation, e.getMessage())
                            .withSystemOverloaded(e.systemOverloaded()));
            default -> {
                // a pool wait-queue timeout, a cleared or closed pool: not a sign about the server
            }
        }
    }

    /** An established connection failed on the network (or timed out) during an operation. */
    static void network(UpstreamCluster cluster, String host, PooledConnection<BackendConnection> pooled,
                        UpstreamException cause) {
        int generation = pooled.generation();
        report(cluster, host, pooled, cause.kind() == UpstreamException.Kind.NETWORK_TIMEOUT
                ? ApplicationError.timeout(ErrorPhase.AFTER_HANDSHAKE, generation, cause.getMessage())
                : ApplicationError.network(ErrorPhase.AFTER_HANDSHAKE, generation, cause.getMessage()));
    }

    /**
     * To the topology, or, for a connection to a load balancer (it has a serviceId), to its service's generations:
     * the load balancer itself is never marked Unknown.
     */
    private static void report(UpstreamCluster cluster, String host, PooledConnection<BackendConnection> pooled,
                               ApplicationError error) {
        BackendConnection c = pooled.connection();
        if (c.serviceId() != null) {
            cluster.onServiceError(host, c.serviceId(), c.serviceGeneration(), error);
        } else {
            cluster.onApplicationError(host, error);
        }
    }

    /** A reply with a state change code (or write concern error): the body is read only then. */
    static void command(UpstreamCluster cluster, String host, PooledConnection<BackendConnection> pooled, ByteBuf reply,
                        ReplyInspector.Facts said) {
        if (!said.ok()) {
            cluster.errorReply(host, said.code() == null ? 0 : said.code());
        }
        boolean stateChange = !said.ok() && StateChangeErrors.isStateChange(said.code(), null)
                || said.writeConcernCode() != null && StateChangeErrors.isStateChange(said.writeConcernCode(), null);
        if (!stateChange) {
            return;
        }
        BsonDocument body;
        try {
            body = OpMsg.parse(reply).body();
        } catch (RuntimeException e) {
            return;
        }
        report(cluster, host, pooled, ApplicationError.command(ErrorPhase.AFTER_HANDSHAKE, pooled.generation(), body));
    }
}
