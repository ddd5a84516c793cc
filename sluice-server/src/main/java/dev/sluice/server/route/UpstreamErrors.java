package dev.sluice.server.route;

import dev.sluice.pool.PooledConnection;
import dev.sluice.server.topology.ApplicationError;
import dev.sluice.server.topology.ErrorPhase;
import dev.sluice.server.topology.StateChangeErrors;
import dev.sluice.server.upstream.BackendConnection;
import dev.sluice.server.upstream.UpstreamCluster;
import dev.sluice.server.upstream.UpstreamException;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import org.bson.BsonDocument;

/**
 * What the request path tells the topology (SDAM's application errors): network errors and timeouts with their
 * phase and the connection's pool generation, and replies saying NotPrimary, NodeIsRecovering or shutting down.
 */
final class UpstreamErrors {
    private UpstreamErrors() {
    }

    /** No connection could be opened (connect or handshake failed): an error before the handshake. */
    static void connectionFailed(UpstreamCluster cluster, String host, int generation, UpstreamException e) {
        switch (e.kind()) {
            case HOST_UNREACHABLE, NETWORK_ERROR, PROTOCOL_ERROR -> cluster.onApplicationError(host,
                    ApplicationError.network(ErrorPhase.BEFORE_HANDSHAKE, generation, e.getMessage()));
            case NETWORK_TIMEOUT -> cluster.onApplicationError(host,
                    ApplicationError.timeout(ErrorPhase.BEFORE_HANDSHAKE, generation, e.getMessage()));
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
                        ReplyInspector.Codes codes) {
        boolean stateChange = !codes.ok() && StateChangeErrors.isStateChange(codes.code(), null)
                || codes.writeConcernCode() != null && StateChangeErrors.isStateChange(codes.writeConcernCode(), null);
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
