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
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/**
 * One HTTP connection: registers it in the {@link ConnectionRegistry} (connector "http") while it is
 * open, marks it Running while a request is handled, and answers requests through {@link ApiRoutes}.
 * Runs on the channel's event loop.
 */
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String CONNECTOR = "http";
    private static final Logger log = LoggerFactory.getLogger(HttpRequestHandler.class);

    /** Response header naming the HTTP connection that served the request (the dashboard hides its Kill). */
    static final String CONNECTION_ID_HEADER = "X-Sluice-Connection-Id";

    private final ConnectionRegistry registry;
    private final RequestGuard guard;
    private final ApiRoutes routes;
    private ConnectionEntry entry;

    HttpRequestHandler(ConnectionRegistry registry, RequestGuard guard, ApiRoutes routes) {
        this.registry = registry;
        this.guard = guard;
        this.routes = routes;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        entry = registry.register(CONNECTOR, Addresses.format(ctx.channel().localAddress()),
                Addresses.format(ctx.channel().remoteAddress()), reason -> {
                    log.info("[http] closing {}: {}", ctx.channel().remoteAddress(), reason);
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
        HttpResult result;
        String userAgent = request.headers().get(HttpHeaderNames.USER_AGENT);
        if (userAgent != null) {
            entry.userAgent(userAgent);
        }
        if (request.decoderResult().isFailure()) {
            keepAlive = false;
            result = decoderFailure(request.decoderResult().cause());
        } else {
            HttpResult refusal = guard.refusal(request, request.content().readableBytes(),
                    (InetSocketAddress) ctx.channel().localAddress());
            result = refusal != null ? refusal : route(request);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), result.status(),
                Unpooled.wrappedBuffer(result.body()));
        ResponseHeaders.apply(response, result);
        response.headers().set(CONNECTION_ID_HEADER, entry.connectionId());
        if (keepAlive && !request.protocolVersion().isKeepAliveDefault()) {
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

    private HttpResult route(FullHttpRequest request) {
        HttpMethod method = request.method();
        String path = new QueryStringDecoder(request.uri()).path();
        entry.operationStarted(method.toString(), path, System.nanoTime());
        entry.addBytesIn(request.content().readableBytes());
        try {
            return routes.handle(method, path, ByteBufUtil.getBytes(request.content()), entry);
        } finally {
            entry.operationFinished();
        }
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
        log.debug("[http] closing {} after an error", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }


}
