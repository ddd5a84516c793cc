package dev.sluice.server.security.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
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

    /** Longest reason logged: a peer's bytes may end up in an exception's message. */
    private static final int MAX_REASON_CHARS = 200;

    /** The cause as a log shows it: the innermost message, which names the TLS problem, bounded. */
    public static String reason(Throwable cause) {
        Throwable t = cause;
        for (int i = 0; i < 6; i++) {
            if (t instanceof NotSslRecordException) {
                return "the client does not speak TLS (its first bytes are not a TLS record)";
            }
            if (t.getCause() == null || t.getCause() == t) {
                break;
            }
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.length() <= MAX_REASON_CHARS ? message : message.substring(0, MAX_REASON_CHARS) + "...";
    }
}
