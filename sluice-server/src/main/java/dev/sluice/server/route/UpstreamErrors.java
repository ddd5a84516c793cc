package dev.sluice.server.route;

import dev.sluice.server.topology.ApplicationError;
import dev.sluice.server.topology.ErrorPhase;
import dev.sluice.server.topology.StateChangeErrors;
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
    static void network(UpstreamCluster cluster, String host, int generation, UpstreamException cause) {
        cluster.onApplicationError(host, cause.kind() == UpstreamException.Kind.NETWORK_TIMEOUT
                ? ApplicationError.timeout(ErrorPhase.AFTER_HANDSHAKE, generation, cause.getMessage())
                : ApplicationError.network(ErrorPhase.AFTER_HANDSHAKE, generation, cause.getMessage()));
    }

    /** A reply with a state change code (or write concern error): the body is read only then. */
    static void command(UpstreamCluster cluster, String host, int generation, ByteBuf reply,
                        ReplyInspector.Codes codes) {
        if (!codes.ok()) {
            cluster.errorReply(host, codes.code() == null ? 0 : codes.code());
        }
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
        cluster.onApplicationError(host, ApplicationError.command(ErrorPhase.AFTER_HANDSHAKE, generation, body));
    }
}
