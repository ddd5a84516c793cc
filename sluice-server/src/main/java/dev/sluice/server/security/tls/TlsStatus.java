package dev.sluice.server.security.tls;

import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;

import java.security.cert.X509Certificate;

/**
 * serverStatus's {@code security} section, with mongod's field names for the certificate
 * ({@code SSLServerSubjectName}, {@code SSLServerHasCertificateAuthority}, {@code SSLServerCertificateExpirationDate})
 * and Sluice's {@code tlsProvider}: the implementation TLS connections use ("openssl" or "jdk").
 */
public final class TlsStatus {
    private TlsStatus() {
    }

    /** @param tls the client-facing contexts, or null when no certificate is configured */
    public static BsonDocument section(ChosenTlsProvider provider, ServerTls tls) {
        BsonDocument d = new BsonDocument("tlsProvider", new BsonString(provider.name()))
                .append("tlsProviderSetting", new BsonString(provider.configured().configName()));
        if (tls != null) {
            X509Certificate c = tls.certificate();
            d.append("SSLServerSubjectName", new BsonString(c.getSubjectX500Principal().getName()))
                    .append("SSLServerHasCertificateAuthority", BsonBoolean.valueOf(tls.settings().caFile() != null))
                    .append("SSLServerCertificateExpirationDate", new BsonDateTime(c.getNotAfter().getTime()));
        }
        return d;
    }
}
