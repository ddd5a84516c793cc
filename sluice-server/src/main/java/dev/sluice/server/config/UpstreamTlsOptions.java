package dev.sluice.server.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How Sluice's backend connections use TLS, from the upstream URI's tls* options. Immutable; {@link #toString()}
 * never shows the key password.
 *
 * @param caFile                     tlsCAFile: PEM CA certificates to trust, or null for the JDK's trust store
 * @param certificateKeyFile         tlsCertificateKeyFile: PEM client certificate and PKCS#8 key, or null
 * @param certificateKeyFilePassword tlsCertificateKeyFilePassword: the key's password, or null
 * @param allowInvalidHostnames      tlsAllowInvalidHostnames (or tlsInsecure): no hostname verification
 * @param allowInvalidCertificates   tlsAllowInvalidCertificates (or tlsInsecure): no certificate validation
 */
public record UpstreamTlsOptions(Path caFile, Path certificateKeyFile, String certificateKeyFilePassword,
                                 boolean allowInvalidHostnames, boolean allowInvalidCertificates) {

    /** Reads the tls* options of {@code uri} (which asks for TLS); files must be readable. */
    static UpstreamTlsOptions of(UriOptions o) {
        boolean insecure = o.bool(UriOption.TLS_INSECURE, false);
        return new UpstreamTlsOptions(file(o, UriOption.TLS_CA_FILE), file(o, UriOption.TLS_CERTIFICATE_KEY_FILE),
                o.string(UriOption.TLS_CERTIFICATE_KEY_FILE_PASSWORD),
                insecure || o.bool(UriOption.TLS_ALLOW_INVALID_HOSTNAMES, false),
                insecure || o.bool(UriOption.TLS_ALLOW_INVALID_CERTIFICATES, false));
    }

    private static Path file(UriOptions o, UriOption option) {
        String value = o.string(option);
        if (value == null) {
            return null;
        }
        Path path = Path.of(value);
        if (!Files.isReadable(path)) {
            throw new ConfigException("upstream: " + option.key() + ": cannot read " + path.toAbsolutePath());
        }
        return path;
    }

    @Override
    public String toString() {
        return "UpstreamTlsOptions[caFile=" + caFile + ", certificateKeyFile=" + certificateKeyFile
                + ", certificateKeyFilePassword=" + (certificateKeyFilePassword == null ? "null" : "****")
                + ", allowInvalidHostnames=" + allowInvalidHostnames + ", allowInvalidCertificates="
                + allowInvalidCertificates + "]";
    }
}
