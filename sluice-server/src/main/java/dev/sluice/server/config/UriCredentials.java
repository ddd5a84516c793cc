package dev.sluice.server.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Builds the {@link UriCredential} of a connection string by the Authentication spec's per-mechanism rules: which
 * mechanisms need a user name or a password or forbid one, which source database they use, and which
 * authMechanismProperties they take. Errors never include the password.
 */
final class UriCredentials {

    private static final String EXTERNAL = "$external";
    private static final Set<String> CANONICALIZE = Set.of("none", "forward", "forwardAndReverse", "true", "false");
    private static final Set<String> OIDC_ENVIRONMENTS = Set.of("test", "azure", "gcp", "k8s");

    private UriCredentials() {
    }

    /**
     * @param username null when the URI has no userinfo
     * @return the credential, or null when the URI asks for no authentication (no userinfo and no authMechanism)
     */
    static UriCredential build(String username, String password, String database, UriOptions options) {
        String mechanismName = options.string(UriOption.AUTH_MECHANISM);
        if (username == null && mechanismName == null) {
            return null;
        }
        AuthMechanism mechanism = mechanismName == null ? null : AuthMechanism.of(mechanismName);
        String label = mechanism == null ? "the default mechanism" : mechanism.mechanismName();
        if (username != null && username.isEmpty()) {
            throw error("the user name is empty (" + label + " needs a user name before '@')");
        }
        String authSource = options.string(UriOption.AUTH_SOURCE);
        Map<String, String> properties = new LinkedHashMap<>(options.keyValues(UriOption.AUTH_MECHANISM_PROPERTIES));
        if (mechanism == null) {
            return new UriCredential(null, username, password, source(authSource, database, "admin"), properties);
        }
        for (String key : properties.keySet()) {
            if (!mechanism.properties().contains(key)) {
                throw error("authMechanismProperties '" + key + "' is not supported by " + label
                        + (mechanism.properties().isEmpty() ? " (it takes none)" : " (expected: " + mechanism.properties() + ")"));
            }
        }
        switch (mechanism) {
            case SCRAM_SHA_1, SCRAM_SHA_256 -> {
                requireUsernameAndPassword(label, username, password);
                return new UriCredential(mechanism, username, password, source(authSource, database, "admin"), properties);
            }
            case PLAIN -> {
                requireUsernameAndPassword(label, username, password);
                return new UriCredential(mechanism, username, password, source(authSource, database, EXTERNAL), properties);
            }
            case GSSAPI -> {
                if (username == null) {
                    throw error(label + " needs a user name (the Kerberos principal)");
                }
                String canonicalize = properties.get("CANONICALIZE_HOST_NAME");
                if (canonicalize != null && !CANONICALIZE.contains(canonicalize)) {
                    throw error("CANONICALIZE_HOST_NAME '" + canonicalize + "' (expected one of " + CANONICALIZE + ")");
                }
                Map<String, String> withDefaults = new LinkedHashMap<>();
                withDefaults.put("SERVICE_NAME", "mongodb");
                withDefaults.putAll(properties);
                return new UriCredential(mechanism, username, password, external(label, authSource), withDefaults);
            }
            case MONGODB_X509 -> {
                forbidPassword(label, password);
                return new UriCredential(mechanism, username, null, external(label, authSource), properties);
            }
            case MONGODB_AWS -> {
                // Auth spec 2025-09-30 (DRIVERS-3131): AWS credentials come from the environment, never the URI.
                if (username != null || password != null) {
                    throw error(label + " takes no user name or password in the URI (the AWS credentials come from"
                            + " the environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN)");
                }
                return new UriCredential(mechanism, null, null, external(label, authSource), properties);
            }
            case MONGODB_OIDC -> {
                forbidPassword(label, password);
                oidc(label, username, properties);
                return new UriCredential(mechanism, username, null, external(label, authSource), properties);
            }
            default -> throw new IllegalStateException(mechanism.name());
        }
    }

    private static void oidc(String label, String username, Map<String, String> properties) {
        String environment = properties.get("ENVIRONMENT");
        if (environment == null) {
            throw error(label + " needs authMechanismProperties ENVIRONMENT (one of " + OIDC_ENVIRONMENTS
                    + "); callbacks cannot be given in a connection string");
        }
        if (!OIDC_ENVIRONMENTS.contains(environment)) {
            throw error(label + ": ENVIRONMENT '" + environment + "' is not supported (expected one of "
                    + OIDC_ENVIRONMENTS + ")");
        }
        boolean needsResource = environment.equals("azure") || environment.equals("gcp");
        if (needsResource && !properties.containsKey("TOKEN_RESOURCE")) {
            throw error(label + ": ENVIRONMENT " + environment + " needs TOKEN_RESOURCE");
        }
        if (username != null && !environment.equals("azure")) {
            throw error(label + ": ENVIRONMENT " + environment + " takes no user name (only azure does: its client id)");
        }
    }

    private static String source(String authSource, String database, String fallback) {
        if (authSource != null) {
            return authSource;
        }
        return database != null ? database : fallback;
    }

    private static String external(String label, String authSource) {
        if (authSource != null && !authSource.equals(EXTERNAL)) {
            throw error(label + " authenticates against $external; authSource '" + authSource + "' is not allowed");
        }
        return EXTERNAL;
    }

    private static void requireUsernameAndPassword(String label, String username, String password) {
        if (username == null) {
            throw error(label + " needs a user name (user:password@host)");
        }
        if (password == null) {
            throw error(label + " needs a password (user:password@host)");
        }
    }

    private static void forbidPassword(String label, String password) {
        if (password != null) {
            throw error(label + " takes no password; remove it from the URI");
        }
    }

    private static ConfigException error(String message) {
        return new ConfigException("connection string: " + message);
    }
}
