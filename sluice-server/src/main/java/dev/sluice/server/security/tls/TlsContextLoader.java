package dev.sluice.server.security.tls;

import dev.sluice.server.config.ConfigException;
import dev.sluice.server.config.TlsSettings;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.SSLException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;

/**
 * Reads {@code net.tls.certificateKeyFile} (and {@code CAFile}) and builds the server contexts with
 * Netty's {@link SslContextBuilder} on the chosen provider (net.tls.provider: the JDK's or OpenSSL), TLS 1.2 and
 * 1.3 only. Every failure is a
 * {@link ConfigException} naming the option, the path and the cause; nothing is half-built.
 */
public final class TlsContextLoader {
    /** The protocols offered: TLS 1.2 and 1.3 (1.0 and 1.1 are deprecated, RFC 8996). */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final String KEY_OPTION = "net.tls.certificateKeyFile";
    private static final String CA_OPTION = "net.tls.CAFile";

    private TlsContextLoader() {
    }

    /** Loads the files named by {@code settings}, which must name a certificate, for the JDK provider. */
    public static TlsContexts load(TlsSettings settings) {
        return load(settings, SslProvider.JDK);
    }

    /** Loads the files named by {@code settings}, which must name a certificate, for {@code provider}. */
    public static TlsContexts load(TlsSettings settings, SslProvider provider) {
        Path keyFile = settings.certificateKeyFile();
        if (keyFile == null) {
            throw new ConfigException(KEY_OPTION + ": not set (a PEM file with the certificate chain and its private key)");
        }
        String pem = read(keyFile, KEY_OPTION);
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new ConfigException(KEY_OPTION + ": " + keyFile + " holds no certificate (expected the chain as "
                    + "-----BEGIN CERTIFICATE----- blocks, leaf first, and the private key)");
        }
        if (!pem.contains("PRIVATE KEY-----")) {
            throw new ConfigException(KEY_OPTION + ": " + keyFile + " holds no private key (expected a "
                    + "-----BEGIN PRIVATE KEY----- or -----BEGIN ENCRYPTED PRIVATE KEY----- block after the certificates)");
        }
        SslContext https = build(serverBuilder(settings, pem, provider), keyFile);
        X509Certificate certificate;
        try {
            certificate = PresentedCertificate.of(https);
        } catch (SSLException e) {
            throw new ConfigException(KEY_OPTION + ": " + keyFile + ": a TLS handshake with this certificate and key "
                    + "fails (does the private key belong to the first certificate?): " + e.getMessage(), e);
        }
        SslContextBuilder mongodb = serverBuilder(settings, pem, provider);
        if (settings.caFile() != null) {
            read(settings.caFile(), CA_OPTION);
            try {
                if (settings.allowInvalidCertificates()) {
                    mongodb.trustManager(InsecureTrustManagerFactory.INSTANCE);
                } else {
                    mongodb.trustManager(settings.caFile().toFile());
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(CA_OPTION + ": cannot use " + settings.caFile() + ": " + causes(e)
                        + " (expected PEM -----BEGIN CERTIFICATE----- blocks)", e);
            }
            mongodb.clientAuth(settings.allowConnectionsWithoutCertificates() ? ClientAuth.OPTIONAL : ClientAuth.REQUIRE);
        }
        return new TlsContexts(build(mongodb, keyFile), https, certificate);
    }

    private static SslContextBuilder serverBuilder(TlsSettings settings, String pem, SslProvider provider) {
        File file = settings.certificateKeyFile().toFile();
        try {
            return SslContextBuilder.forServer(file, file, settings.certificateKeyFilePassword())
                    .sslProvider(provider)
                    .protocols(PROTOCOLS);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(KEY_OPTION + ": cannot use " + file + ": " + causes(e) + keyHint(settings, pem), e);
        }
    }

    private static SslContext build(SslContextBuilder builder, Path keyFile) {
        try {
            return builder.build();
        } catch (SSLException | RuntimeException e) {
            throw new ConfigException(KEY_OPTION + ": cannot build a TLS context from " + keyFile + ": " + causes(e), e);
        }
    }

    /** What to change when the key cannot be read. */
    private static String keyHint(TlsSettings settings, String pem) {
        if (pem.contains("-----BEGIN RSA PRIVATE KEY-----") || pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
            return " (the key is in the traditional OpenSSL format (PKCS#1 / SEC 1), which the JDK cannot read: convert it "
                    + "to PKCS#8 with: openssl pkcs8 -topk8 -in key.pem -out key-pkcs8.pem, adding -nocrypt for an "
                    + "unencrypted key)";
        }
        if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") && settings.certificateKeyFilePassword() == null) {
            return " (the key is encrypted: set net.tls.certificateKeyFilePassword / --tlsCertificateKeyFilePassword)";
        }
        if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            return " (is net.tls.certificateKeyFilePassword the key's password?)";
        }
        return "";
    }

    private static String read(Path path, String option) {
        try {
            return Files.readString(path, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new ConfigException(option + ": cannot read " + path.toAbsolutePath() + ": " + e, e);
        }
    }

    /** The messages of {@code e} and its causes, without repeats. */
    static String causes(Throwable e) {
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
