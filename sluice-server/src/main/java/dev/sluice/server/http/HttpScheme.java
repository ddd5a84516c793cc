package dev.sluice.server.http;

/**
 * Which of the two HTTP connectors a component serves: {@code http}, or {@code https} (over TLS). The
 * name is the connector's in the registry (ids {@code http-N} / {@code https-N}) and the scheme of
 * its own origin ({@code https://host:port}); the default port is the one a Host header without a
 * port means.
 */
public enum HttpScheme {
    HTTP("http", 80),
    HTTPS("https", 443);

    private final String connector;
    private final int defaultPort;

    HttpScheme(String connector, int defaultPort) {
        this.connector = connector;
        this.defaultPort = defaultPort;
    }

    /** The connector's name: "http" or "https". */
    public String connector() {
        return connector;
    }

    int defaultPort() {
        return defaultPort;
    }

    /** The origin a browser sends for a page of this connector reached as {@code host} (a Host header value). */
    String origin(String host) {
        return connector + "://" + host;
    }
}
