package dev.sluice.server.config;

import java.util.Map;

/**
 * The credential a connection string asks for, after the Authentication spec's rules (defaults filled in).
 *
 * @param mechanism  the mechanism, or null for the default (negotiated SCRAM)
 * @param username   the percent-decoded user name, or null (MONGODB-X509, MONGODB-AWS and MONGODB-OIDC allow none)
 * @param password   the percent-decoded password, or null
 * @param source     the database the credential is checked against ("admin", the URI's database, authSource, or
 *                   "$external")
 * @param properties authMechanismProperties with the mechanism's defaults (GSSAPI: SERVICE_NAME=mongodb)
 */
public record UriCredential(AuthMechanism mechanism, String username, String password, String source,
                            Map<String, String> properties) {

    public UriCredential {
        properties = Map.copyOf(properties);
    }

    @Override
    public String toString() {
        return "UriCredential[mechanism=" + mechanism + ", username=" + username + ", password="
                + (password == null ? "null" : "****") + ", source=" + source + ", properties="
                + (properties.containsKey("AWS_SESSION_TOKEN") ? "{...}" : properties) + "]";
    }
}
