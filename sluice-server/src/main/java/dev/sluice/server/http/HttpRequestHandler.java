package dev.sluice.server.http;

import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.registry.Addresses;
import dev.sluice.server.registry.ConnectionRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One HTTP connection: registers it in the {@link ConnectionRegistry} (connector "http") while it is
 * open, marks it Running while a request is handled, and answers requests through {@link ApiRoutes},
 * behind the {@link AuthGate} when authorization is on. Runs on the channel's event loop; an answer
 * that waits for a password check is written from that loop too, and the connection reads no
 * further request until it is out.
 */
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpRequestHandler.class);

    /** Response header naming the HTTP connection that served the request (the dashboard hides its Kill). */
    static final String CONNECTION_ID_HEADER = "X-Sluice-Connection-Id";

    private final ConnectionRegistry registry;
    private final String connector;
    private final RequestGuard guard;
    private final ApiRoutes routes;
    private final AuthGate gate;
    private final FleetRoutes fleet;
    private ConnectionEntry entry;

    /** @param gate authentication and authorization, or null when authorization is off */
    HttpRequestHandler(ConnectionRegistry registry, RequestGuard guard, ApiRoutes routes, AuthGate gate) {
        this(registry, HttpScheme.HTTP, guard, routes, gate);
    }

    /** @param scheme which connector: its name goes into the registry (ids {@code http-N} or {@code https-N}) */
    HttpRequestHandler(ConnectionRegistry registry, HttpScheme scheme, RequestGuard guard, ApiRoutes routes,
                       AuthGate gate) {
        this(registry, scheme, guard, routes, gate, new FleetRoutes(FleetControl.NONE));
    }

    /** @param fleet the probes (answered before the guard) and the drain route */
    HttpRequestHandler(ConnectionRegistry registry, HttpScheme scheme, RequestGuard guard, ApiRoutes routes,
                       AuthGate gate, FleetRoutes fleet) {
        this.fleet = fleet;
        this.registry = registry;
        this.connector = scheme.connector();
        this.guard = guard;
        this.routes = routes;
        this.gate = gate;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        entry = registry.register(connector, Addresses.format(ctx.channel().localAddress()),
                Addresses.format(ctx.channel().remoteAddress()), reason -> {
                    log.info("[{}] closing {}: {}", connector, ctx.channel().remoteAddress(), reason);
                    ctx.channel().close();
                });
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (entry != null) {
            entry.closing();
            registry.unregister(entry);
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpVersion version = request.protocolVersion();
        String userAgent = request.headers().get(HttpHeaderNames.USER_AGENT);
        if (userAgent != null) {
            entry.userAgent(userAgent);
        }
        if (request.decoderResult().isFailure()) {
            write(ctx, version, false, decoderFailure(request.decoderResult().cause()));
            return;
        }
        HttpResult probe = fleet.probe(request.method(), new QueryStringDecoder(request.uri()).path());
        if (probe != null) {
            write(ctx, version, keepAlive, probe, false); // probes: no guard, no credentials, nothing revealed
            return;
        }
        HttpResult refusal = guard.refusal(request, request.content().readableBytes(),
                (InetSocketAddress) ctx.channel().localAddress());
        if (refusal != null) {
            write(ctx, version, keepAlive, refusal);
            return;
        }
        HttpMethod method = request.method();
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        java.util.Map<String, java.util.List<String>> params = uri.parameters();
        byte[] body = ByteBufUtil.getBytes(request.content());
        if (dev.sluice.server.fleet.PeerClient.PATH.equals(path)) {
            // another Sluice of the fleet: authenticated by the fleet's signature, not by a user
            write(ctx, version, keepAlive, routes.peer(method,
                    request.headers().get(dev.sluice.server.fleet.PeerSignature.HEADER), body));
            return;
        }
        entry.operationStarted(method.toString(), path, System.nanoTime());
        entry.addBytesIn(body.length);
        Supplier<HttpResult> route = fleet.handles(path) ? () -> fleet.handle(method, entry)
                : () -> routes.handle(method, path, params, body, entry);
        if (gate == null) {
            HttpResult result;
            try {
                result = route.get();
            } finally {
                entry.operationFinished();
            }
            write(ctx, version, keepAlive, result);
            return;
        }
        ApiRequest api = new ApiRequest(method, path, request.headers().copy(), body,
                (InetSocketAddress) ctx.channel().remoteAddress());
        CompletableFuture<HttpResult> answer = gate.handle(api, entry, ctx.executor(), route);
        if (answer.isDone()) {
            answered(ctx, version, keepAlive, answer);
            return;
        }
        // a password check or a slowdown is pending: hold the connection's next requests (the
        // FlowControlHandler before this one queues them) so that answers keep the requests' order
        ctx.channel().config().setAutoRead(false);
        answer.whenComplete((result, error) -> ctx.executor().execute(() -> {
            answered(ctx, version, keepAlive, answer);
            ctx.channel().config().setAutoRead(true);
        }));
    }

    private void answered(ChannelHandlerContext ctx, HttpVersion version, boolean keepAlive,
                          CompletableFuture<HttpResult> answer) {
        entry.operationFinished();
        HttpResult result;
        try {
            result = answer.join();
        } catch (RuntimeException e) {
            result = AuthGate.failure(e);
        }
        write(ctx, version, keepAlive, result);
    }

    private void write(ChannelHandlerContext ctx, HttpVersion version, boolean keepAlive, HttpResult result) {
        write(ctx, version, keepAlive, result, true);
    }

    /** @param identify whether to name the connection ({@value #CONNECTION_ID_HEADER}); not to probes */
    private void write(ChannelHandlerContext ctx, HttpVersion version, boolean keepAlive, HttpResult result,
                       boolean identify) {
        FullHttpResponse response = new DefaultFullHttpResponse(version, result.status(),
                Unpooled.wrappedBuffer(result.body()));
        ResponseHeaders.apply(response, result);
        if (identify) {
            response.headers().set(CONNECTION_ID_HEADER, entry.connectionId());
        }
        if (keepAlive && !version.isKeepAliveDefault()) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        } else if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        entry.addBytesOut(result.body().length);
        boolean close = !keepAlive;
        Runnable after = result.afterResponse();
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) future -> {
            after.run();
            if (close) {
                future.channel().close();
            }
        });
    }

    /** The codec refused the request: a header or the request line past its bound, or malformed. */
    private static HttpResult decoderFailure(Throwable cause) {
        if (cause instanceof TooLongHttpHeaderException) {
            return HttpResult.error(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request headers exceed "
                    + HttpConnector.MAX_HEADER_BYTES + " bytes (the HTTP connector's header limit)");
        }
        if (cause instanceof TooLongHttpLineException) {
            return HttpResult.error(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line exceeds "
                    + HttpConnector.MAX_REQUEST_LINE_BYTES + " bytes (the HTTP connector's request line limit)");
        }
        return HttpResult.error(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request"
                + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("[{}] closing {} after an error", connector, ctx.channel().remoteAddress(), cause);
        ctx.close();
    }


}
