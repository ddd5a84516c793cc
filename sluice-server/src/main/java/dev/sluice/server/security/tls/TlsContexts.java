package dev.sluice.server.security.tls;

import io.netty.handler.ssl.SslContext;

import java.security.cert.X509Certificate;

/**
 * One load of the TLS files: the context of the mongodb connector (client certificates as
 * {@code net.tls.CAFile} says), the context of the https connector (same certificate, no client
 * certificate: HTTP callers authenticate with HTTP Basic or a dashboard session), and the
 * certificate both present.
 */
public record TlsContexts(SslContext mongodb, SslContext https, X509Certificate certificate) {
}
