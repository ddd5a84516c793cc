package dev.sluice.bench.tls;

import dev.sluice.server.testing.TestCertificates;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The two contexts a benchmark needs, built the way Sluice builds its own: a server context from one PEM
 * file (certificate then PKCS#8 key, as {@code net.tls.certificateKeyFile}; {@code TlsContextLoader}) and a
 * client context trusting the test CA ({@code UpstreamTls}), both on {@code provider}, one protocol and
 * one AES-GCM cipher suite so the two providers do the same work.
 */
record TlsContexts(SslContext client, SslContext server) {

    /** The AES-128-GCM suite for {@code protocol}: TLS 1.3's own, or ECDHE-RSA for TLS 1.2. */
    static String cipherFor(String protocol) {
        return switch (protocol) {
            case "TLSv1.3" -> "TLS_AES_128_GCM_SHA256";
            case "TLSv1.2" -> "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
            default -> throw new IllegalArgumentException("protocol: " + protocol + " (expected TLSv1.3 or TLSv1.2)");
        };
    }

    static TlsContexts create(SslProvider provider, String protocol) throws SSLException {
        if (provider != SslProvider.JDK && !OpenSsl.isAvailable()) {
            throw new IllegalStateException("provider " + provider + ": netty-tcnative did not load", OpenSsl.unavailabilityCause());
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("sluice-tls-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestCertificates certs = TestCertificates.create(dir);
        File pem = certs.writePem("server.pem", certs.server()).toFile();
        File ca = certs.caFile().toFile();
        List<String> ciphers = List.of(cipherFor(protocol));
        SslContext server = SslContextBuilder.forServer(pem, pem)
                .sslProvider(provider)
                .protocols(protocol)
                .ciphers(ciphers)
                .build();
        SslContext client = SslContextBuilder.forClient()
                .sslProvider(provider)
                .trustManager(ca)
                .protocols(protocol)
                .ciphers(ciphers)
                .build();
        return new TlsContexts(client, server);
    }
}
