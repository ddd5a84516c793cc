package dev.sluice.server.http;

import dev.sluice.server.admin.ConnectionAdmin;
import dev.sluice.server.config.HttpSettings;
import dev.sluice.server.metrics.HistorySampler;
import dev.sluice.server.metrics.SluiceMetrics;
import dev.sluice.server.registry.Addresses;
import dev.sluice.server.registry.ConnectionRegistry;
import dev.sluice.server.client.RateLimitedLog;
import dev.sluice.server.security.tls.HandshakeFailures;
import dev.sluice.server.security.tls.ServerTls;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The http connector: the admin API, {@code /metrics} and the dashboard. Every accepted connection
 * is listed in the {@link ConnectionRegistry} (connector "http", ids {@code http-N}) and can be
 * killed like any other. The event loop groups belong to the caller, which shuts them down.
 *
 * <p>Bounds ({@link HttpSettings}): at most {@code httpMaxConnections} open connections (past it a new
 * one is closed at once and counted as rejected), {@code httpRequestTimeoutMS} per request,
 * {@code httpIdleTimeoutMS} between requests ({@link RequestDeadlines}), request line and headers
 * bounded by the codec, body by {@link #MAX_CONTENT_LENGTH}. Every request but the probes
 * ({@code /healthz}, {@code /readyz}: {@link FleetRoutes}) passes {@link RequestGuard} (Host, Origin,
 * Content-Type) before a route sees it; with authorization on, then the {@link AuthGate} (HTTP Basic or
 * a dashboard session, and the wire's privileges).
 *
 * <p>The https variant ({@link ServerTls} given) is the same connector over TLS: an {@code SslHandler}
 * first in each pipeline (the certificate current when the connection was accepted; no client
 * certificate asked), connector "https" and ids {@code https-N}, {@code https://} origins, and a
 * session cookie marked Secure when authorization is on. A failed handshake is counted (limit
 * close {@code net.tls}) and logged at most every 10 s.
 */
public final class HttpConnector implements AutoCloseable {
    /** Largest request body accepted (1 MiB); larger ones get 413. */
    public static final int MAX_CONTENT_LENGTH = 1 << 20;
    /** Largest request line (method, path, version) accepted; longer ones get 414. */
    public static final int MAX_REQUEST_LINE_BYTES = 4096;
    /** Largest header section accepted; larger ones get 431. */
    public static final int MAX_HEADER_BYTES = 8192;
    private static final Logger log = LoggerFactory.getLogger(HttpConnector.class);

    private final InetSocketAddress bind;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final Class<? extends ServerChannel> channelClass;
    private final ConnectionRegistry registry;
    private final ApiRoutes routes;
    private final HttpSettings settings;
    private final RefusalLog refusals;
    private final AtomicInteger open = new AtomicInteger();
    private final RequestGuard guard;
    private final AuthGate gate;
    private final PasswordCheck passwords;
    private final ChannelGroup channels = new DefaultChannelGroup("sluice-http", GlobalEventExecutor.INSTANCE);
    private final HttpScheme scheme;
    private final ServerTls tls;
    private final FleetRoutes fleet;
    private final RateLimitedLog handshakeFailures = new RateLimitedLog(log, 10_000, System::nanoTime);
    private Channel serverChannel;

    /** Authorization off: every caller may do everything (as before authentication existed). */
    public HttpConnector(InetSocketAddress bind, EventLoopGroup bossGroup, EventLoopGroup workerGroup,
                         Class<? extends ServerChannel> channelClass, ConnectionRegistry registry,
                         ConnectionAdmin admin, PrometheusMeterRegistry meters, SluiceMetrics metrics,
                         HistorySampler history, HttpSettings settings, Clock clock) {
        this(bind, bossGroup, workerGroup, channelClass, registry, admin, meters, metrics, history, settings, clock,
                HttpAccess.open());
    }

    /**
     * @param admin  with authorization on, an admin whose access policy reads the caller's subject
     *               ({@link dev.sluice.server.admin.SubjectAccessPolicy}): the HTTP connection's
     *               registry entry carries the authenticated caller's subject
     * @param access who may use the connector ({@link HttpAccess#open()} when authorization is off)
     */
    public HttpConnector(InetSocketAddress bind, EventLoopGroup bossGroup, EventLoopGroup workerGroup,
                         Class<? extends ServerChannel> channelClass, ConnectionRegistry registry,
                         ConnectionAdmin admin, PrometheusMeterRegistry meters, SluiceMetrics metrics,
                         HistorySampler history, HttpSettings settings, Clock clock, HttpAccess access) {
        this(bind, bossGroup, workerGroup, channelClass, registry, admin, meters, metrics, history, settings, clock,
                access, null);
    }

    /**
     * The https connector when {@code tls} is given (its certificate; {@code access} should then be
     * {@code HttpAccess.authenticated(users, true)} with authorization on), else the http connector.
     */
    public HttpConnector(InetSocketAddress bind, EventLoopGroup bossGroup, EventLoopGroup workerGroup,
                         Class<? extends ServerChannel> channelClass, ConnectionRegistry registry,
                         ConnectionAdmin admin, PrometheusMeterRegistry meters, SluiceMetrics metrics,
                         HistorySampler history, HttpSettings settings, Clock clock, HttpAccess access, ServerTls tls) {
        this(bind, bossGroup, workerGroup, channelClass, registry, admin, meters, metrics, history, settings, clock,
                access, tls, FleetControl.NONE);
    }

    /** As above, with the probes ({@code /healthz}, {@code /readyz}) and {@code POST /api/drain} of {@code fleet}. */
    public HttpConnector(InetSocketAddress bind, EventLoopGroup bossGroup, EventLoopGroup workerGroup,
                         Class<? extends ServerChannel> channelClass, ConnectionRegistry registry,
                         ConnectionAdmin admin, PrometheusMeterRegistry meters, SluiceMetrics metrics,
                         HistorySampler history, HttpSettings settings, Clock clock, HttpAccess access, ServerTls tls,
                         FleetControl fleet) {
        this.fleet = new FleetRoutes(Objects.requireNonNull(fleet, "fleet"));
        this.tls = tls;
        this.scheme = tls == null ? HttpScheme.HTTP : HttpScheme.HTTPS;
        this.bind = Objects.requireNonNull(bind, "bind");
        this.bossGroup = Objects.requireNonNull(bossGroup, "bossGroup");
        this.workerGroup = Objects.requireNonNull(workerGroup, "workerGroup");
        this.channelClass = Objects.requireNonNull(channelClass, "channelClass");
        this.registry = Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(access, "access");
        StaticResources resources = new StaticResources(access.authorization());
        this.routes = new ApiRoutes(Objects.requireNonNull(admin, "admin"), Objects.requireNonNull(meters, "meters"),
                Objects.requireNonNull(metrics, "metrics"), Objects.requireNonNull(history, "history"), resources,
                Objects.requireNonNull(settings, "settings").maxPageSize());
        this.settings = Objects.requireNonNull(settings, "settings");
        this.refusals = new RefusalLog(Objects.requireNonNull(clock, "clock"));
        this.guard = new RequestGuard(new HostCheck(bind, settings.allowedHosts(), scheme), scheme);
        if (access.authorization()) {
            SecureRandom random = new SecureRandom();
            AuthAudit audit = new AuthAudit(meters);
            this.passwords = new PasswordCheck(access.users(), random);
            // an attempt held longer than half the request timeout would meet the 408 first
            FailedLogins failures = new FailedLogins(clock, Duration.ofMillis(settings.requestTimeoutMS() / 2));
            Authenticator authenticator = new Authenticator(clock, passwords, failures, audit);
            Sessions sessions = new Sessions(clock, random);
            LoginRoutes login = new LoginRoutes(access.users(), authenticator, sessions,
                    new SessionCookie(access.secureConnector()), audit);
            this.gate = new AuthGate(access.users(), settings.metricsWithoutAuth(), authenticator, sessions, login,
                    resources);
        } else {
            this.passwords = null;
            this.gate = null;
        }
    }

    /**
     * The fleet this Sluice belongs to (it joins after the HTTP connector starts): serves
     * {@code GET /api/fleet} and the signed requests of the other instances on {@code /api/fleet/peer}.
     */
    public void fleet(java.util.function.Supplier<dev.sluice.server.fleet.FleetAdmin> fleet, int maxAdminIds) {
        routes.fleet(fleet);
        routes.maxAdminIds(maxAdminIds);
    }

    /**
     * Binds and starts accepting. Blocks until bound.
     *
     * @return the address actually bound (the chosen port when {@code bind} has port 0)
     * @throws IllegalStateException naming the address when it cannot be bound
     */
    public synchronized InetSocketAddress start() {
        if (serverChannel != null) {
            throw new IllegalStateException(scheme.connector() + " connector already started on "
                    + serverChannel.localAddress());
        }
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_REQUEST_LINE_BYTES)
                .setMaxHeaderSize(MAX_HEADER_BYTES);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(channelClass)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (!admit(ch)) {
                            return;
                        }
                        channels.add(ch);
                        if (tls != null) {
                            // the deadlines see decrypted bytes; the idle timer, started at accept, bounds the handshake
                            ch.pipeline().addLast("tls", tls.https().newHandler(ch.alloc()))
                                    .addLast("tlsFailures", new HandshakeFailures(HttpConnector.this::handshakeFailed));
                        }
                        ch.pipeline()
                                .addLast("deadlines", new RequestDeadlines(registry, scheme, settings.requestTimeoutMS(),
                                        settings.idleTimeoutMS()))
                                .addLast("codec", new HttpServerCodec(decoder))
                                .addLast("aggregator", new HttpObjectAggregator(MAX_CONTENT_LENGTH))
                                .addLast("flow", new FlowControlHandler())
                                .addLast("api", new HttpRequestHandler(registry, scheme, guard, routes, gate, fleet));
                    }
                });
        try {
            serverChannel = bootstrap.bind(bind).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the " + scheme.connector() + " connector to " + bind, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot bind the " + scheme.connector() + " connector to "
                    + Addresses.format(bind) + ": " + e.getMessage() + " (choose another --" + scheme.connector()
                    + " HOST:PORT)", e);
        }
        InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
        log.info("[{}] listening on {}://{}/", scheme.connector(), scheme.connector(), Addresses.format(bound));
        return bound;
    }

    /** Counts {@code ch} as open, or closes it at once (counted as rejected) past httpMaxConnections. */
    private boolean admit(Channel ch) {
        if (open.incrementAndGet() > settings.maxConnections()) {
            open.decrementAndGet();
            registry.recordRejected(scheme.connector());
            ch.close();
            String line = refusals.refused(settings.maxConnections());
            if (line != null) {
                log.warn(line);
            }
            return false;
        }
        ch.closeFuture().addListener(f -> open.decrementAndGet());
        return true;
    }

    private void handshakeFailed(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
        registry.recordLimitClose(scheme.connector(), "net.tls");
        handshakeFailures.warn("[https] TLS handshake with {} failed, connection closed: {}", ctx.channel().remoteAddress(),
                HandshakeFailures.reason(cause));
    }

    /** HTTP connections open now. */
    public int openConnections() {
        return open.get();
    }

    /** Stops accepting and closes every open HTTP connection. Idempotent. */
    @Override
    public synchronized void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
        }
        channels.close().syncUninterruptibly();
        if (passwords != null) {
            passwords.close();
        }
    }
}
