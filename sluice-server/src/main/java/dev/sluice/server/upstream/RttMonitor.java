package dev.sluice.server.upstream;

import dev.sluice.server.config.UpstreamSettings;
import dev.sluice.server.topology.ServerAddress;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The round-trip measurement of a streaming monitor: a second connection to the server that runs a hello every
 * heartbeatFrequencyMS and reports how long it took. Its failures change nothing in the topology (the streaming
 * connection reports those); it reconnects at the next heartbeat. Runs on its monitor's event loop only.
 */
final class RttMonitor {
    private final ServerAddress address;
    private final BackendChannels channels;
    private final UpstreamSettings settings;
    private final EventLoop loop;
    private final MonitorSink sink;
    private final LongSupplier nanoTime;
    private BackendConnection connection;
    /** Whether {@code connection} is set, readable from any thread. */
    private volatile boolean connected;
    private ScheduledFuture<?> next;
    private boolean running;
    private boolean legacyHello;
    /** Bumped by each stop: callbacks of an earlier run are ignored. */
    private long run;
    private long connections;

    RttMonitor(ServerAddress address, BackendChannels channels, UpstreamSettings settings, EventLoop loop,
               MonitorSink sink, LongSupplier nanoTime) {
        this.address = address;
        this.channels = channels;
        this.settings = settings;
        this.loop = loop;
        this.sink = sink;
        this.nanoTime = nanoTime;
    }

    /** Starts measuring (on the event loop). */
    void start() {
        if (running) {
            return;
        }
        running = true;
        measure(run);
    }

    /** Stops and closes its connection (on the event loop). */
    void stop() {
        running = false;
        run++;
        if (next != null) {
            next.cancel(false);
            next = null;
        }
        if (connection != null) {
            connection.close();
            connection = null;
            connected = false;
        }
    }

    int connectionsOpen() {
        return connected ? 1 : 0;
    }

    long connectionsOpened() {
        return connections;
    }

    private void measure(long id) {
        if (id != run || !running) {
            return;
        }
        long start = nanoTime.getAsLong();
        if (connection != null && connection.isUsable()) {
            MonitorHello.send(connection, legacyHello, null, 0,
                    (reply, more) -> loop.execute(() -> measured(id, start)), e -> loop.execute(() -> failed(id)));
            return;
        }
        connections++;
        channels.connect(-1, settings.connectTimeoutMS(), -1, false).whenComplete((c, error) -> loop.execute(() -> {
            if (error != null) {
                failed(id);
                return;
            }
            if (id != run) {
                c.close();
                return;
            }
            connection = c;
            connected = true;
            long handshakeStart = nanoTime.getAsLong();
            BackendHandshake.reply(c, c.alloc(), settings.appName(), settings.compressors(), false)
                    .whenComplete((reply, e) -> loop.execute(() -> {
                        if (e != null) {
                            failed(id);
                        } else {
                            legacyHello = !reply.containsKey("isWritablePrimary");
                            measured(id, handshakeStart);
                        }
                    }));
        }));
    }

    private void measured(long id, long startNanos) {
        if (id != run) {
            return;
        }
        sink.onRttSample(address, Math.max(0, nanoTime.getAsLong() - startNanos) / 1_000_000.0);
        next = loop.schedule(() -> measure(id), settings.heartbeatFrequencyMS(), TimeUnit.MILLISECONDS);
    }

    private void failed(long id) {
        if (id != run) {
            return;
        }
        if (connection != null) {
            connection.close();
            connection = null;
            connected = false;
        }
        next = loop.schedule(() -> measure(id), settings.heartbeatFrequencyMS(), TimeUnit.MILLISECONDS);
    }
}
