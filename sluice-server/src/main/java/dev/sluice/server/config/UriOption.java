package dev.sluice.server.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The connection-string options of the MongoDB URI Options specification, with their value type and accepted range.
 * Keys are matched case-insensitively (ASCII A-Z lowered). {@code ssl} is an alias of {@link #TLS} and the deprecated
 * {@code wtimeout} of {@link #W_TIMEOUT_MS}; both are handled by the options parser.
 */
public enum UriOption {
    APP_NAME("appName", Kind.STRING),
    AUTH_MECHANISM("authMechanism", Kind.STRING),
    AUTH_MECHANISM_PROPERTIES("authMechanismProperties", Kind.KEY_VALUES),
    AUTH_SOURCE("authSource", Kind.STRING),
    COMPRESSORS("compressors", Kind.LIST, List.of("snappy", "zlib", "zstd")),
    CONNECT_TIMEOUT_MS("connectTimeoutMS", 0, Integer.MAX_VALUE),
    DIRECT_CONNECTION("directConnection", Kind.BOOLEAN),
    /** Client Backpressure: retry commands that fail with a retryable overload error on another server too. */
    ENABLE_OVERLOAD_RETARGETING("enableOverloadRetargeting", Kind.BOOLEAN),
    HEARTBEAT_FREQUENCY_MS("heartbeatFrequencyMS", 500, Integer.MAX_VALUE),
    JOURNAL("journal", Kind.BOOLEAN),
    LOAD_BALANCED("loadBalanced", Kind.BOOLEAN),
    LOCAL_THRESHOLD_MS("localThresholdMS", 0, Integer.MAX_VALUE),
    /** Client Backpressure: retries of a command after retryable overload errors (default 2). */
    MAX_ADAPTIVE_RETRIES("maxAdaptiveRetries", 0, Integer.MAX_VALUE),
    MAX_IDLE_TIME_MS("maxIdleTimeMS", 0, Integer.MAX_VALUE),
    MAX_POOL_SIZE("maxPoolSize", 0, Integer.MAX_VALUE),
    MAX_CONNECTING("maxConnecting", 1, Integer.MAX_VALUE),
    /** -1 means "no maximum"; other values below 90 are refused by the read-preference rules. */
    MAX_STALENESS_SECONDS("maxStalenessSeconds", -1, Integer.MAX_VALUE),
    MIN_POOL_SIZE("minPoolSize", 0, Integer.MAX_VALUE),
    PROXY_HOST("proxyHost", Kind.STRING),
    PROXY_PORT("proxyPort", 0, 65535),
    PROXY_USERNAME("proxyUsername", Kind.STRING),
    PROXY_PASSWORD("proxyPassword", Kind.SECRET),
    READ_CONCERN_LEVEL("readConcernLevel", Kind.STRING),
    READ_PREFERENCE("readPreference", Kind.CHOICE,
            List.of("primary", "primaryPreferred", "secondary", "secondaryPreferred", "nearest")),
    READ_PREFERENCE_TAGS("readPreferenceTags", Kind.TAG_SETS),
    REPLICA_SET("replicaSet", Kind.STRING),
    RETRY_READS("retryReads", Kind.BOOLEAN),
    RETRY_WRITES("retryWrites", Kind.BOOLEAN),
    SERVER_MONITORING_MODE("serverMonitoringMode", Kind.CHOICE, List.of("stream", "poll", "auto")),
    SERVER_SELECTION_TIMEOUT_MS("serverSelectionTimeoutMS", 1, Integer.MAX_VALUE),
    SERVER_SELECTION_TRY_ONCE("serverSelectionTryOnce", Kind.BOOLEAN),
    SOCKET_TIMEOUT_MS("socketTimeoutMS", 0, Integer.MAX_VALUE),
    SRV_MAX_HOSTS("srvMaxHosts", 0, Integer.MAX_VALUE),
    SRV_SERVICE_NAME("srvServiceName", Kind.SERVICE_NAME),
    TIMEOUT_MS("timeoutMS", Kind.LONG, 0, Long.MAX_VALUE),
    TLS("tls", Kind.BOOLEAN),
    TLS_ALLOW_INVALID_CERTIFICATES("tlsAllowInvalidCertificates", Kind.BOOLEAN),
    TLS_ALLOW_INVALID_HOSTNAMES("tlsAllowInvalidHostnames", Kind.BOOLEAN),
    TLS_CA_FILE("tlsCAFile", Kind.STRING),
    TLS_CERTIFICATE_KEY_FILE("tlsCertificateKeyFile", Kind.STRING),
    TLS_CERTIFICATE_KEY_FILE_PASSWORD("tlsCertificateKeyFilePassword", Kind.SECRET),
    TLS_DISABLE_CERTIFICATE_REVOCATION_CHECK("tlsDisableCertificateRevocationCheck", Kind.BOOLEAN),
    TLS_DISABLE_OCSP_ENDPOINT_CHECK("tlsDisableOCSPEndpointCheck", Kind.BOOLEAN),
    TLS_INSECURE("tlsInsecure", Kind.BOOLEAN),
    W("w", Kind.W),
    WAIT_QUEUE_TIMEOUT_MS("waitQueueTimeoutMS", 0, Integer.MAX_VALUE),
    W_TIMEOUT_MS("wTimeoutMS", Kind.LONG, 0, Long.MAX_VALUE),
    ZLIB_COMPRESSION_LEVEL("zlibCompressionLevel", -1, 9);

    /** How an option's value is written and what Java type it is parsed into. */
    public enum Kind {
        /** "true" or "false" only: {@link Boolean}. */
        BOOLEAN,
        /** 32-bit integer within [min, max]: {@link Integer}. */
        INT,
        /** 64-bit integer within [min, max]: {@link Long}. */
        LONG,
        /** any non-empty string: {@link String}. */
        STRING,
        /** a string that must never be printed (passwords): {@link String}. */
        SECRET,
        /** one of {@link #choices()}, matched case-insensitively: the canonical {@link String}. */
        CHOICE,
        /** comma-separated names from {@link #choices()}: {@code List<String>}. */
        LIST,
        /** comma-separated KEY:VALUE pairs: {@code Map<String, String>} in URI order. */
        KEY_VALUES,
        /** repeatable; each instance a (possibly empty) KEY:VALUE tag set: {@code List<Map<String, String>>}. */
        TAG_SETS,
        /** write concern w: a non-negative {@link Integer} or a {@link String} such as "majority". */
        W,
        /** an RFC 6335 service name (1-15 letters, digits and inner hyphens): {@link String}. */
        SERVICE_NAME
    }

    private static final Map<String, UriOption> BY_KEY = new HashMap<>();

    static {
        for (UriOption o : values()) {
            BY_KEY.put(normalizeKey(o.key), o);
        }
    }

    private final String key;
    private final Kind kind;
    private final long min;
    private final long max;
    private final List<String> choices;

    UriOption(String key, Kind kind) {
        this(key, kind, 0, 0, List.of());
    }

    UriOption(String key, Kind kind, List<String> choices) {
        this(key, kind, 0, 0, choices);
    }

    UriOption(String key, int min, int max) {
        this(key, Kind.INT, min, max, List.of());
    }

    UriOption(String key, Kind kind, long min, long max) {
        this(key, kind, min, max, List.of());
    }

    UriOption(String key, Kind kind, long min, long max, List<String> choices) {
        this.key = key;
        this.kind = kind;
        this.min = min;
        this.max = max;
        this.choices = choices;
    }

    /** The option's name as the URI Options specification spells it, e.g. "maxPoolSize". */
    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    /** Smallest accepted value of an INT or LONG option. */
    public long min() {
        return min;
    }

    /** Largest accepted value of an INT or LONG option. */
    public long max() {
        return max;
    }

    /** Accepted values of a CHOICE option, or known names of a LIST option. */
    public List<String> choices() {
        return choices;
    }

    /** The option with this key, matched case-insensitively, or null when the key is not a URI option. */
    public static UriOption byKey(String key) {
        return BY_KEY.get(normalizeKey(key));
    }

    /** Lowers ASCII A-Z only, as the connection-string spec says; other characters are left as they are. */
    static String normalizeKey(String key) {
        StringBuilder b = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return key;
    }
}
