package dev.sluice.server.testing;

import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.config.SluiceConfig;

import java.time.Clock;

/** Starts a Sluice on free loopback ports for a test, with the embedded backend or a given upstream. */
public final class SluiceHarness implements AutoCloseable {
    private final SluiceServer server;

    private SluiceHarness(SluiceServer server) {
        this.server = server;
    }

    public static SluiceHarness embedded() throws InterruptedException {
        return start(null, ConfigFile.EMPTY);
    }

    public static SluiceHarness upstream(String uri) throws InterruptedException {
        return start(uri, ConfigFile.EMPTY);
    }

    public static SluiceHarness start(String upstream, ConfigFile file) throws InterruptedException {
        SluiceConfig config = SluiceConfig.merge(file, "127.0.0.1:0", "127.0.0.1:0", upstream);
        return new SluiceHarness(new SluiceServer(config, Clock.systemUTC()).start());
    }

    public SluiceServer server() {
        return server;
    }

    /** A connection string to Sluice, with extra options appended (e.g. "appName=x"). */
    public String uri(String options) {
        var a = server.mongoAddress();
        return "mongodb://" + a.getHostString() + ":" + a.getPort() + "/" + (options.isEmpty() ? "" : "?" + options);
    }

    public String uri() {
        return uri("");
    }

    @Override
    public void close() {
        server.close();
    }
}
