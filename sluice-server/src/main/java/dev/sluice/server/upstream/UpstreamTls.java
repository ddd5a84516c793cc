package dev.sluice.server.upstream;

import dev.sluice.server.config.ConfigException;
import dev.sluice.server.config.UpstreamSettings;
import dev.sluice.server.config.UpstreamTlsOptions;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXReason;
import java.util.Locale;

/**
 * TLS of Sluice's backend connections (pooled, monitoring and RTT), from the upstream URI's tls* options: one client
 * {@link SslContext} built at start (a bad tlsCAFile or tlsCertificateKeyFile refuses the start, naming the option),
 * an {@link SslHandler} per connection with the host as SNI and peer host, and hostname verification
 * (endpoint identification "HTTPS") unless tlsAllowInvalidHostnames / tlsInsecure.
 */
public final class UpstreamTls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslContext context;
    private final boolean verifyHostnames;
    private final long handshakeTimeoutMS;

    private UpstreamTls(SslContext context, boolean verifyHostnames, long handshakeTimeoutMS) {
        this.context = context;
        this.verifyHostnames = verifyHostnames;
        this.handshakeTimeoutMS = handshakeTimeoutMS;
    }

    /** The TLS of {@code settings} on the JDK provider, or null when its URI does not ask for TLS. */
    public static UpstreamTls of(UpstreamSettings settings) {
        return of(settings, SslProvider.JDK);
    }

    /**
     * The TLS of {@code settings} on {@code provider} (net.tls.provider resolved: it governs the upstream side too),
     * or null when its URI does not ask for TLS.
     */
    public static UpstreamTls of(UpstreamSettings settings, SslProvider provider) {
        if (!settings.tls()) {
            return null;
        }
        UpstreamTlsOptions o = settings.tlsOptions();
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(provider).protocols(PROTOCOLS)
                .endpointIdentificationAlgorithm(o.allowInvalidHostnames() ? null : "HTTPS");
        if (o.allowInvalidCertificates()) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else if (o.caFile() != null) {
            try {
                b.trustManager(o.caFile().toFile());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("upstream: tlsCAFile: cannot use " + o.caFile() + ": " + causes(e)
                        + " (expected PEM -----BEGIN CERTIFICATE----- blocks)", e);
            }
        }
        if (o.certificateKeyFile() != null) {
            try {
                b.keyManager(o.certificateKeyFile().toFile(), o.certificateKeyFile().toFile(),
                        o.certificateKeyFilePassword());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("upstream: tlsCertificateKeyFile: cannot use " + o.certificateKeyFile() + ": "
                        + causes(e) + " (expected the PEM certificate chain and a PKCS#8 private key; an encrypted key "
                        + "needs tlsCertificateKeyFilePassword)", e);
            }
        }
        try {
            long timeout = settings.connectTimeoutMS() == 0 ? 60_000 : settings.connectTimeoutMS();
            return new UpstreamTls(b.build(), !o.allowInvalidHostnames(), timeout);
        } catch (Exception e) {
            throw new ConfigException("upstream: cannot build the TLS context of the upstream connections: "
                    + causes(e), e);
        }
    }

    /** A handler for one connection to {@code host:port} (SNI and hostname verification use {@code host}). */
    SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
        SslHandler handler = context.newHandler(alloc, host, port);
        SSLEngine engine = handler.engine();
        if (verifyHostnames) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMS);
        return handler;
    }

    /** Why a TLS handshake with an upstream failed, in words an operator acts on (the option to check). */
    static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            String lower = m.toLowerCase(Locale.ROOT);
            if (lower.contains("bad_certificate") || lower.contains("certificate_required")
                    || lower.contains("unknown_ca") || lower.contains("certificate_expired")) {
                return "the upstream refused Sluice's client certificate (" + m + "; check tlsCertificateKeyFile "
                        + "and that the upstream's CA file trusts its issuer)";
            }
                        if (t instanceof CertificateExpiredException) {
                return "the upstream's certificate has expired (" + m + ")";
            }
            if (t instanceof CertificateNotYetValidException) {
                return "the upstream's certificate is not valid yet (" + m + ")";
            }
            if (lower.contains("no subject alternative") || lower.contains("no name matching")) {
                return "the upstream's certificate does not match the host name (" + m + "); fix the host in the "
                        + "URI or the certificate's subjectAltName, or set tlsAllowInvalidHostnames=true";
            }
            if (t instanceof CertPathValidatorException && lower.contains("expired")) {
                return "the upstream's certificate chain has expired (" + m + ")";
            }
            if (t instanceof CertPathValidatorException v && v.getReason() == PKIXReason.NO_TRUST_ANCHOR
                    || lower.contains("does not chain with any of the trust anchors")
                    || lower.contains("unable to find valid certification path")
                    || t.getClass().getSimpleName().equals("SunCertPathBuilderException")) {
                return "the upstream's certificate is not signed by a trusted CA (unknown CA: set tlsCAFile to the CA "
                        + "that signed it, or tlsAllowInvalidCertificates=true)";
            }
        }
        return causes(failure);
    }

    private static String causes(Throwable e) {
        StringBuilder b = new StringBuilder();
        String last = null;
        int depth = 0;
        for (Throwable t = e; t != null && depth++ < 6; t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (last == null || !last.contains(m)) {
                b.append(b.length() == 0 ? "" : ": ").append(m);
            }
            last = m;
        }
        return b.toString();
    }
}
