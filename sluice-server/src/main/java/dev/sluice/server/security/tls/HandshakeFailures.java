package dev.sluice.server.security.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

import java.util.function.BiConsumer;

/**
 * After a connection's TLS handler: reports a failed handshake (no or an untrusted client
 * certificate, no common protocol, a client that does not trust the server's certificate) to
 * {@code failed}, which counts and logs it. The {@code SslHandler} closes the connection itself.
 */
public final class HandshakeFailures extends ChannelInboundHandlerAdapter {
    private final BiConsumer<ChannelHandlerContext, Throwable> failed;

    public HandshakeFailures(BiConsumer<ChannelHandlerContext, Throwable> failed) {
        this.failed = failed;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess()) {
                failed.accept(ctx, done.cause());
            }
            ctx.pipeline().remove(this);
        }
        super.userEventTriggered(ctx, evt);
    }

    /** The cause as a log shows it: the innermost message, which names the TLS problem. */
    public static String reason(Throwable cause) {
        Throwable t = cause;
        for (int i = 0; i < 6 && t.getCause() != null && t.getCause() != t; i++) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
