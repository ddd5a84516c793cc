package dev.sluice.server.config;

/**
 * {@code authMechanism=MONGODB-X509} in the upstream URI: the backend connections authenticate with the client
 * certificate of {@code tlsCertificateKeyFile}, so the URI must turn TLS on and name that file (the user name is
 * optional: the upstream takes the certificate's subject).
 */
final class UpstreamX509 {
    private UpstreamX509() {
    }

    static void check(ConnectionString cs) {
        if (!cs.tlsEnabled()) {
            throw new ConfigException("upstream: authMechanism=MONGODB-X509 needs tls=true (the certificate of "
                    + "tlsCertificateKeyFile is the credential)");
        }
        if (cs.options().string(UriOption.TLS_CERTIFICATE_KEY_FILE) == null) {
            throw new ConfigException("upstream: authMechanism=MONGODB-X509 needs tlsCertificateKeyFile (a PEM file with "
                    + "the client certificate whose subject is the user on $external, and its private key)");
        }
    }
}
