package dev.sluice.server.upstream;

import dev.sluice.pool.ConnectionClosedEvent;
import dev.sluice.pool.ConnectionDescriptor;
import dev.sluice.pool.ConnectionFactory;
import dev.sluice.server.config.UpstreamSettings;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Opens the pooled backend connections of one host on one lane: TCP connect (and TLS), then the handshake and
 * authentication (with the URI's credential), all within connectTimeoutMS.
 */
final class BackendConnectionFactory implements ConnectionFactory<BackendConnection> {
    private static final Logger LOG = LoggerFactory.getLogger(BackendConnectionFactory.class);
    private final BackendChannels channels;
    private final UpstreamSettings settings;
    private final int lane;
    private final Consumer<UpstreamFeatures> learned;
    private final UpstreamAuthenticator authenticator;
    /** The per-service generations of a load-balanced upstream, or null. */
    private final ServiceGenerations services;
    private final HostConnectionBudget budget;

    /**
     * @param channels opens the TCP connections (on the lane's event loop)
     * @param learned       told what each handshake reported
     * @param authenticator authenticates each connection (the URI's credential, or a client's login), or null
     * @param budget        the host's maxConnectionsPerHost, shared by all its pools, or null
     */
    BackendConnectionFactory(BackendChannels channels, UpstreamSettings settings, int lane,
                             Consumer<UpstreamFeatures> learned, UpstreamAuthenticator authenticator) {
        this(channels, settings, lane, learned, authenticator, null, null);
    }

    /**
     * @param services behind a load balancer: the per-service generations each handshake records, else null
     * @param budget   the host's bound over all its pools (maxConnectionsPerHost), or null
     */
    BackendConnectionFactory(BackendChannels channels, UpstreamSettings settings, int lane,
                             Consumer<UpstreamFeatures> learned, UpstreamAuthenticator authenticator,
                             ServiceGenerations services, HostConnectionBudget budget) {
        this.services = services;
        this.budget = budget;
        this.authenticator = authenticator;
        this.channels = channels;
        this.settings = settings;
        this.lane = lane;
        this.learned = learned;
    }

    @Override
    public CompletionStage<BackendConnection> open(ConnectionDescriptor descriptor) {
        CompletableFuture<BackendConnection> result = new CompletableFuture<>();
        if (budget != null && !budget.tryAcquire()) {
            result.completeExceptionally(budget.exhausted());
            return result;
        }
        // the embedded backend (mongo-java-server) closes the connection on exhaustAllowed. The handshake is bounded by
        // connectTimeoutMS alone (as drivers do): socketTimeoutMS applies once the connection is in the pool, so a slow
        // but healthy upstream still gets connections
        channels.connect(descriptor.connectionId(), 0, lane, !settings.embedded())
                .whenComplete((connection, error) -> {
                    if (error != null) {
                        if (budget != null) {
                            budget.release();
                        }
                        result.completeExceptionally(Backpressure.label(error, false));
                    } else {
                        if (budget != null) {
                            connection.whenClosed(budget::release);
                        }
                        handshake(connection, result);
                    }
                });
        return result;
    }

    private void handshake(BackendConnection connection, CompletableFuture<BackendConnection> result) {
        String host = connection.host();
        ScheduledFuture<?> deadline = settings.connectTimeoutMS() == 0 ? null : connection.eventLoop().schedule(() -> {
            if (!result.isDone()) {
                connection.fail(new UpstreamException(UpstreamException.Kind.NETWORK_TIMEOUT, host,
                        "handshake with upstream " + host + " did not finish within "
                                + settings.connectTimeoutMS() + " ms (connectTimeoutMS)"));
            }
        }, settings.connectTimeoutMS(), TimeUnit.MILLISECONDS);
        BackendHandshake.run(connection, connection.alloc(), settings.appName(), settings.compressors(),
                        settings.embedded(), authenticator, services)
                .whenComplete((features, failure) -> {
                    Throwable e = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (deadline != null) {
                        deadline.cancel(false);
                    }
                    if (e != null) {
                        if (e instanceof UpstreamException u && u.kind() == UpstreamException.Kind.AUTHENTICATION_FAILED) {
                            LOG.warn("[upstream] {}", u.getMessage());
                        }
                        connection.close();
                        result.completeExceptionally(Backpressure.label(e, connection.helloAnswered()));
                    } else {
                        learned.accept(features);
                        connection.socketTimeoutMS(settings.socketTimeoutMS());
                        result.complete(connection);
                    }
                });
    }

    @Override
    public void close(BackendConnection connection, ConnectionClosedEvent.Reason reason) {
        connection.close();
    }
}
