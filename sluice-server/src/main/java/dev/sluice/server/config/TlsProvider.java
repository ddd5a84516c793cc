package dev.sluice.server.config;

/**
 * {@code net.tls.provider} / {@code --tlsProvider}: which TLS implementation Sluice's connections use, on both sides
 * (the mongodb and https connectors, and the backend connections to the upstream). {@code auto} (the default) is
 * OpenSSL (BoringSSL, from netty-tcnative) when it loads on this platform, else the JDK's; {@code openssl} requires
 * it (Sluice refuses to start without it); {@code jdk} always uses the JDK's.
 */
public enum TlsProvider {
    AUTO("auto"),
    JDK("jdk"),
    OPENSSL("openssl");

    private final String configName;

    TlsProvider(String configName) {
        this.configName = configName;
    }

    /** The name in the YAML and on the command line. */
    public String configName() {
        return configName;
    }

    /** Parses {@code auto}, {@code jdk} or {@code openssl} (case-insensitive); the error names {@code option}. */
    public static TlsProvider parse(String value, String option) {
        for (TlsProvider p : values()) {
            if (p.configName.equalsIgnoreCase(value == null ? "" : value.trim())) {
                return p;
            }
        }
        throw new ConfigException(option + ": '" + value + "' (expected one of auto, jdk, openssl)");
    }

    @Override
    public String toString() {
        return configName;
    }
}
