package dev.sluice.server.security.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.Future;

import javax.net.ssl.SSLException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/**
 * Proves that a server context can complete a handshake, by running one in memory against a client
 * that trusts any certificate: the server must sign with its private key, so a key that does not
 * belong to the certificate fails here, at load time, instead of at every client's handshake (the
 * JDK provider does not compare them when the context is built). Returns the certificate the
 * server presented.
 */
final class PresentedCertificate {
    private static final int MAX_ROUND_TRIPS = 16;

    private PresentedCertificate() {
    }

    /** @throws SSLException with the handshake's cause when it does not complete */
    static X509Certificate of(SslContext server) throws SSLException {
        SslContext client = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .protocols(TlsContextLoader.PROTOCOLS)
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .endpointIdentificationAlgorithm(null)
                .build();
        SslHandler serverHandler = server.newHandler(ByteBufAllocator.DEFAULT);
        SslHandler clientHandler = client.newHandler(ByteBufAllocator.DEFAULT);
        EmbeddedChannel serverSide = new EmbeddedChannel(serverHandler);
        EmbeddedChannel clientSide = new EmbeddedChannel(clientHandler);
        try {
            Future<?> done = clientHandler.handshakeFuture();
            for (int i = 0; i < MAX_ROUND_TRIPS && !done.isDone(); i++) {
                move(clientSide, serverSide);
                move(serverSide, clientSide);
            }
            if (!done.isDone()) {
                throw new SSLException("the handshake did not complete in " + MAX_ROUND_TRIPS + " round trips");
            }
            if (!done.isSuccess()) {
                Throwable cause = serverHandler.handshakeFuture().cause() != null
                        ? serverHandler.handshakeFuture().cause() : done.cause();
                throw new SSLException(cause.getMessage(), cause);
            }
            Certificate[] chain = clientHandler.engine().getSession().getPeerCertificates();
            return (X509Certificate) chain[0];
        } finally {
            close(clientSide);
            close(serverSide);
        }
    }

    private static void move(EmbeddedChannel from, EmbeddedChannel to) {
        for (Object bytes = from.readOutbound(); bytes != null; bytes = from.readOutbound()) {
            if (!to.isOpen()) {
                io.netty.util.ReferenceCountUtil.release(bytes);
                continue;
            }
            try {
                to.writeInbound(bytes);
            } catch (Exception e) {
                // the failure is also in the handshake future, which the caller reads (OpenSSL closes the channel
                // on a failed handshake: a later write surfaces as a ClosedChannelException)
            }
        }
    }

    private static void close(EmbeddedChannel channel) {
        try {
            channel.finishAndReleaseAll();
        } catch (Exception e) {
            // a handshake failure surfaces again here; it was reported already
        }
    }
}
