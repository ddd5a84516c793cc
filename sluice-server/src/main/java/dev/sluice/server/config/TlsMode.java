package dev.sluice.server.config;

/**
 * mongod's {@code net.tls.mode} for the mongodb connector. {@code allowTLS} and {@code preferTLS}
 * accept TLS and plain connections on the same port (on mongod they differ only for the server's
 * own outgoing connections, which a proxy's client side does not have); {@code requireTLS} closes a
 * plain connection at its first bytes.
 */
public enum TlsMode {
    DISABLED("disabled"),
    ALLOW_TLS("allowTLS"),
    PREFER_TLS("preferTLS"),
    REQUIRE_TLS("requireTLS");

    private final String configName;

    TlsMode(String configName) {
        this.configName = configName;
    }

    /** The name in the YAML and on the command line ({@code requireTLS}). */
    public String configName() {
        return configName;
    }

    /** Whether the connector accepts TLS connections. */
    public boolean acceptsTls() {
        return this != DISABLED;
    }

    /** Whether the connector accepts plain connections. */
    public boolean acceptsPlain() {
        return this != REQUIRE_TLS;
    }

    /** Parses mongod's spelling (case-sensitive, as mongod); the error names {@code option}. */
    public static TlsMode parse(String value, String option) {
        for (TlsMode m : values()) {
            if (m.configName.equals(value)) {
                return m;
            }
        }
        throw new ConfigException(option + ": '" + value + "' (expected one of disabled, allowTLS, preferTLS, requireTLS)");
    }

    @Override
    public String toString() {
        return configName;
    }
}
