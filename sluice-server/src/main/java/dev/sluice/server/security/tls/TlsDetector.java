package dev.sluice.server.security.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

import java.util.List;
import java.util.function.Consumer;

/**
 * First in a mongodb connection's pipeline when {@code net.tls.mode} is not disabled: reads the
 * first bytes and, when they are a TLS record ({@link SslHandler#isEncrypted}), puts an
 * {@link SslHandler} of the context current at accept time in its place (so a rotation never changes
 * a connection's certificate). Plain bytes pass on ({@code allowTLS}, {@code preferTLS}) or close
 * the connection ({@code requireTLS}), reported to {@code plainRefused}. A client that sends fewer
 * than five bytes is left to the login timeout.
 */
public final class TlsDetector extends ByteToMessageDecoder {
    /** Bytes of a TLS record header, enough to tell TLS from a MongoDB message. */
    private static final int RECORD_HEADER_BYTES = 5;
    public static final String TLS_HANDLER_NAME = "tls";

    private final SslContext context;
    private final boolean acceptPlain;
    private final Consumer<Channel> plainRefused;

    public TlsDetector(SslContext context, boolean acceptPlain, Consumer<Channel> plainRefused) {
        this.context = context;
        this.acceptPlain = acceptPlain;
        this.plainRefused = plainRefused;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < RECORD_HEADER_BYTES) {
            return;
        }
        if (SslHandler.isEncrypted(in, false)) {
            ctx.pipeline().replace(this, TLS_HANDLER_NAME, context.newHandler(ctx.alloc()));
        } else if (acceptPlain) {
            ctx.pipeline().remove(this);
        } else {
            in.skipBytes(in.readableBytes());
            plainRefused.accept(ctx.channel());
            ctx.close();
        }
    }
}
