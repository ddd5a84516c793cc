package dev.sluice.server.upstream;

import dev.sluice.server.config.UpstreamSettings;
import dev.sluice.server.topology.ApplicationError;
import dev.sluice.server.topology.ErrorKind;
import dev.sluice.server.topology.ErrorPhase;
import dev.sluice.server.topology.ServerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The two rules of a load-balanced upstream that are not the topology's: at start, with no monitor to ask, one
 * pooled connection is opened (and kept in the pool) so that its handshake tells what Sluice advertises (wire
 * version, sessions, transactions); and which application errors clear a service's connections.
 */
final class LoadBalancedStart {
    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancedStart.class);

    private LoadBalancedStart() {
    }

    /** Opens one pooled connection, waiting at most connectTimeoutMS + 1 s; a failure is logged, not fatal. */
    static void firstConnection(UpstreamCluster cluster, UpstreamSettings settings) {
        ServerAddress lb = cluster.description().servers().keySet().iterator().next();
        HostPool pool = cluster.pool(lb.toString());
        CompletableFuture<String> done = new CompletableFuture<>();
        pool.checkOut(null, (pooled, error) -> {
            if (error != null) {
                done.complete(error.getMessage());
                return;
            }
            pooled.checkIn();
            done.complete(null);
        });
        long wait = settings.connectTimeoutMS() == 0 ? 10_000 : settings.connectTimeoutMS() + 1_000;
        String failure;
        try {
            failure = done.get(wait, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            failure = "no connection within " + wait + " ms";
        }
        if (failure == null) {
            LOG.info("[upstream] LoadBalanced {} (not monitored), maxWireVersion {}, {}", lb, cluster.maxWireVersion(),
                    cluster.features());
        } else {
            LOG.warn("[upstream] load balancer {} not reachable at start ({}); Sluice serves anyway, reporting "
                    + "maxWireVersion {} until a connection's handshake tells", lb, failure, cluster.maxWireVersion());
        }
    }

    /**
     * Load Balancer spec, Post-Handshake Errors: a network error after the handshake, or a state change reply saying
     * the node is shutting down, clears the service; timeouts and other state change replies change nothing.
     */
    static boolean clearsService(ApplicationError error) {
        if (error.phase() == ErrorPhase.BEFORE_HANDSHAKE) {
            return false;
        }
        if (error.isStateChange()) {
            return error.isShutdown();
        }
        return error.kind() == ErrorKind.NETWORK && !error.systemOverloaded();
    }
}
