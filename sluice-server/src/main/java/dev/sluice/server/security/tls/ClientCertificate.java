package dev.sluice.server.security.tls;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/** The certificate a client presented in its TLS handshake (MONGODB-X509 reads its subject). */
public final class ClientCertificate {
    private ClientCertificate() {
    }

    /** The client's leaf certificate, or null: a plain connection, or no certificate presented. */
    public static X509Certificate of(ChannelPipeline pipeline) {
        SslHandler tls = pipeline.get(SslHandler.class);
        if (tls == null) {
            return null;
        }
        try {
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? leaf : null;
        } catch (SSLPeerUnverifiedException noCertificate) {
            return null;
        }
    }
}
