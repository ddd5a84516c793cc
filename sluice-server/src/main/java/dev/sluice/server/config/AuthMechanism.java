package dev.sluice.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The authentication mechanisms of the MongoDB Authentication spec, by their {@code authMechanism} names. */
public enum AuthMechanism {
    SCRAM_SHA_1("SCRAM-SHA-1", Set.of()),
    SCRAM_SHA_256("SCRAM-SHA-256", Set.of()),
    PLAIN("PLAIN", Set.of()),
    GSSAPI("GSSAPI", Set.of("SERVICE_NAME", "CANONICALIZE_HOST_NAME", "SERVICE_REALM", "SERVICE_HOST")),
    MONGODB_X509("MONGODB-X509", Set.of()),
    MONGODB_AWS("MONGODB-AWS", Set.of()),
    MONGODB_OIDC("MONGODB-OIDC", Set.of("ENVIRONMENT", "TOKEN_RESOURCE"));

    private final String mechanismName;
    private final Set<String> properties;

    AuthMechanism(String mechanismName, Set<String> properties) {
        this.mechanismName = mechanismName;
        this.properties = properties;
    }

    /** The name as written in {@code authMechanism=}, e.g. "SCRAM-SHA-256". */
    public String mechanismName() {
        return mechanismName;
    }

    /** The authMechanismProperties keys this mechanism accepts in a connection string. */
    public Set<String> properties() {
        return properties;
    }

    /** The mechanism named exactly {@code name}. */
    public static AuthMechanism of(String name) {
        for (AuthMechanism m : values()) {
            if (m.mechanismName.equals(name)) {
                return m;
            }
        }
        List<String> names = new ArrayList<>();
        for (AuthMechanism m : values()) {
            names.add(m.mechanismName);
        }
        throw new ConfigException("connection string: authMechanism '" + name + "' is not supported (expected one of "
                + names + ")");
    }

    @Override
    public String toString() {
        return mechanismName;
    }
}
