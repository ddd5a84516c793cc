package dev.sluice.server.config;

/**
 * Everything Sluice needs to start: its listeners and its upstream (null upstream URI means the
 * embedded in-memory backend).
 */
public record SluiceConfig(ServerSettings server, String upstreamUri) {

    /**
     * Merges defaults, then the file, then command-line values (the later wins). Nulls mean "not given".
     */
    public static SluiceConfig merge(ConfigFile file, String listen, String http, String upstream) {
        ConfigFile f = file == null ? ConfigFile.EMPTY : file;
        ServerSettings d = ServerSettings.defaults();
        String listenValue = first(listen, f.listen());
        String httpValue = first(http, f.http());
        ServerSettings server = new ServerSettings(
                listenValue == null ? d.listen() : HostAndPort.parse(listenValue, "listen"),
                httpValue == null ? d.http() : HostAndPort.parse(httpValue, "http"),
                f.maxIncomingConnections() == null ? d.maxIncomingConnections() : f.maxIncomingConnections(),
                f.maxMessageSizeBytes() == null ? d.maxMessageSizeBytes() : f.maxMessageSizeBytes(),
                f.compressors() == null ? d.compressors() : f.compressors(),
                f.shutdownTimeoutMS() == null ? d.shutdownTimeoutMS() : f.shutdownTimeoutMS(),
                f.alertThresholdPercent() == null ? d.alertThresholdPercent() : f.alertThresholdPercent(),
                f.embeddedWireVersion() == null ? d.embeddedWireVersion() : f.embeddedWireVersion());
        String upstreamUri = first(upstream, f.upstream());
        if (upstreamUri != null) {
            // validate now so a bad URI fails at start with a message naming the option
            UpstreamSettings.fromUri(upstreamUri, false);
        }
        return new SluiceConfig(server, upstreamUri);
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }
}
