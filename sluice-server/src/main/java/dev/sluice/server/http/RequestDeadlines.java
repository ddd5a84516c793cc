package dev.sluice.server.http;

import dev.sluice.server.registry.ConnectionRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The time bounds of one HTTP connection, first in its pipeline (it sees raw bytes in and the
 * encoded response out). Between requests the connection is idle: after {@code httpIdleTimeoutMS}
 * without a byte it is closed. The first byte of a request starts {@code httpRequestTimeoutMS}: the
 * whole request (headers and body) must arrive, and its response start, within it, else the client
 * gets 408 and the connection is closed. Each close is counted in
 * {@link ConnectionRegistry#recordLimitClose}. Timers are tasks on the channel's own event loop, so
 * the state below is touched by that one thread only.
 */
final class RequestDeadlines extends ChannelDuplexHandler {
    static final String REQUEST_TIMEOUT = "httpRequestTimeoutMS";
    static final String IDLE_TIMEOUT = "httpIdleTimeoutMS";
    private static final Logger log = LoggerFactory.getLogger(RequestDeadlines.class);

    private final ConnectionRegistry registry;
    private final String connector;
    private final long requestTimeoutMS;
    private final long idleTimeoutMS;
    private boolean receiving;
    private ScheduledFuture<?> timer;

    RequestDeadlines(ConnectionRegistry registry, long requestTimeoutMS, long idleTimeoutMS) {
        this(registry, HttpScheme.HTTP, requestTimeoutMS, idleTimeoutMS);
    }

    RequestDeadlines(ConnectionRegistry registry, HttpScheme scheme, long requestTimeoutMS, long idleTimeoutMS) {
        this.registry = registry;
        this.connector = scheme.connector();
        this.requestTimeoutMS = requestTimeoutMS;
        this.idleTimeoutMS = idleTimeoutMS;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        idle(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!receiving && msg instanceof ByteBuf bytes && bytes.isReadable()) {
            receiving = true;
            cancel();
            timer = ctx.executor().schedule(() -> requestTimedOut(ctx), requestTimeoutMS, TimeUnit.MILLISECONDS);
        }
        super.channelRead(ctx, msg);
    }

    /** A response (or 100 Continue) is going out: the request is in; the connection idles from here. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (receiving) {
            idle(ctx);
        }
        super.write(ctx, msg, promise);
    }

    private void idle(ChannelHandlerContext ctx) {
        receiving = false;
        cancel();
        timer = ctx.executor().schedule(() -> idleTimedOut(ctx), idleTimeoutMS, TimeUnit.MILLISECONDS);
    }

    private void requestTimedOut(ChannelHandlerContext ctx) {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        registry.recordLimitClose(connector, REQUEST_TIMEOUT);
        log.info("[{}] closing {}: request not received in full within {} ms (httpRequestTimeoutMS)",
                connector, ctx.channel().remoteAddress(), requestTimeoutMS);
        HttpResult result = HttpResult.error(HttpResponseStatus.REQUEST_TIMEOUT, "request not received in full within "
                + requestTimeoutMS + " ms (httpRequestTimeoutMS)");
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, result.status(),
                Unpooled.wrappedBuffer(result.body()));
        ResponseHeaders.apply(response, result);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        receiving = false;
        ctx.channel().writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        cancel();
    }

    private void idleTimedOut(ChannelHandlerContext ctx) {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        registry.recordLimitClose(connector, IDLE_TIMEOUT);
        log.debug("[{}] closing {}: idle for {} ms (httpIdleTimeoutMS)", connector, ctx.channel().remoteAddress(),
                idleTimeoutMS);
        ctx.close();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
