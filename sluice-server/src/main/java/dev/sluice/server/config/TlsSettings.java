package dev.sluice.server.config;

import java.nio.file.Path;

/**
 * Client-facing TLS, with mongod's {@code net.tls.*} names (immutable, validated on construction;
 * the files themselves are read when the server starts and on every reload).
 *
 * @param mode                       {@code net.tls.mode} / {@code --tlsMode}: TLS on the mongodb connector
 *                                   (default disabled)
 * @param certificateKeyFile         {@code net.tls.certificateKeyFile} / {@code --tlsCertificateKeyFile}: one PEM
 *                                   file with the certificate chain (leaf first) and its private key (PKCS#8,
 *                                   encrypted or not); required when mode is not disabled and for the https
 *                                   connector
 * @param certificateKeyFilePassword {@code net.tls.certificateKeyFilePassword}: the password of an encrypted key
 *                                   (null: not encrypted); never printed
 * @param caFile                     {@code net.tls.CAFile} / {@code --tlsCAFile}: CA certificates (PEM) that client
 *                                   certificates must chain to; when set, clients are asked for a certificate
 * @param allowConnectionsWithoutCertificates {@code net.tls.allowConnectionsWithoutCertificates}: with a CAFile, a
 *                                   client may connect without a certificate (one it presents is still verified)
 * @param allowInvalidCertificates   {@code net.tls.allowInvalidCertificates}: client certificates are accepted
 *                                   without verification (testing only; logged as a warning)
 * @param provider                   {@code net.tls.provider} / {@code --tlsProvider}: the TLS implementation of every
 *                                   TLS connection, client-facing and upstream (default auto)
 */
public record TlsSettings(TlsMode mode, Path certificateKeyFile, String certificateKeyFilePassword, Path caFile,
                          boolean allowConnectionsWithoutCertificates, boolean allowInvalidCertificates,
                          TlsProvider provider) {

    public TlsSettings {
        mode = mode == null ? TlsMode.DISABLED : mode;
        provider = provider == null ? TlsProvider.AUTO : provider;
        if (mode.acceptsTls() && certificateKeyFile == null) {
            throw new ConfigException("net.tls.certificateKeyFile: required when net.tls.mode is " + mode
                    + " (--tlsCertificateKeyFile FILE: a PEM file with the certificate chain and its private key)");
        }
        if (certificateKeyFilePassword != null && certificateKeyFile == null) {
            throw new ConfigException("net.tls.certificateKeyFilePassword: given without net.tls.certificateKeyFile");
        }
    }

    /** With {@code net.tls.provider} auto. */
    public TlsSettings(TlsMode mode, Path certificateKeyFile, String certificateKeyFilePassword, Path caFile,
                       boolean allowConnectionsWithoutCertificates, boolean allowInvalidCertificates) {
        this(mode, certificateKeyFile, certificateKeyFilePassword, caFile, allowConnectionsWithoutCertificates,
                allowInvalidCertificates, TlsProvider.AUTO);
    }

    public static TlsSettings disabled() {
        return new TlsSettings(TlsMode.DISABLED, null, null, null, false, false);
    }

    /** These settings with {@code net.tls.provider} set to {@code p}. */
    public TlsSettings withProvider(TlsProvider p) {
        return new TlsSettings(mode, certificateKeyFile, certificateKeyFilePassword, caFile,
                allowConnectionsWithoutCertificates, allowInvalidCertificates, p);
    }

    /** A certificate is configured (the mongodb connector with TLS, or the https connector, can serve). */
    public boolean hasCertificate() {
        return certificateKeyFile != null;
    }

    /** Client certificates are requested (a CA file is given). */
    public boolean requestsClientCertificates() {
        return caFile != null;
    }

    /** The password is masked: settings are logged. */
    @Override
    public String toString() {
        return "TlsSettings[mode=" + mode + ", certificateKeyFile=" + certificateKeyFile
                + ", certificateKeyFilePassword=" + (certificateKeyFilePassword == null ? "none" : "****")
                + ", CAFile=" + caFile + ", allowConnectionsWithoutCertificates=" + allowConnectionsWithoutCertificates
                + ", allowInvalidCertificates=" + allowInvalidCertificates + ", provider=" + provider + "]";
    }
}
