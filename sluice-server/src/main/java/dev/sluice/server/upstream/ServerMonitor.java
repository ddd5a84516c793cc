package dev.sluice.server.upstream;

import dev.sluice.server.config.UpstreamSettings;
import dev.sluice.server.topology.ErrorKind;
import dev.sluice.server.topology.ServerAddress;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Watches one upstream server over its own connection (not a pooled one), as the SDAM monitoring spec describes:
 * a hello every heartbeatFrequencyMS (polling), or, when the server reports a topologyVersion and
 * serverMonitoringMode allows it, awaitable hellos the server answers as its state changes (streaming), with a
 * separate {@link RttMonitor} measuring round trips. A failed check is reported once and the next one waits for
 * the heartbeat: a down server is retried every heartbeatFrequencyMS, never in a tight loop. Immediate checks
 * (after a state change error, or while operations wait for a server) come at most every
 * {@value #MIN_HEARTBEAT_FREQUENCY_MS} ms.
 *
 * <p>Concurrency: every field is touched on the monitor's event loop only; the public methods hop onto it.
 */
final class ServerMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(ServerMonitor.class);
    /** minHeartbeatFrequencyMS of the SDAM spec: the least time between two checks of a server. */
    static final long MIN_HEARTBEAT_FREQUENCY_MS = 500;

    private final ServerAddress address;
    private final BackendChannels channels;
    private final UpstreamSettings settings;
    private final EventLoop loop;
    private final MonitorSink sink;
    private final LongSupplier nanoTime;
    private final RttMonitor rtt;
    /** True while operations wait for a suitable server: checks then come every 500 ms, not every heartbeat. */
    private final BooleanSupplier demand;

    private BackendConnection connection;
    /** Whether {@code connection} is set, readable from any thread. */
    private volatile boolean connected;
    /** Bumped by every new check and every cancel: replies of an older check are ignored. */
    private long check;
    private boolean checking;
    private boolean streaming;
    private boolean legacyHello;
    private boolean closed;
    private long lastCheckStartNanos;
    private long nextCheckNanos;
    private ScheduledFuture<?> next;
    private long connections;

    ServerMonitor(ServerAddress address, BackendChannels channels, UpstreamSettings settings, EventLoop loop,
                  MonitorSink sink, LongSupplier nanoTime, BooleanSupplier demand) {
        this.address = address;
        this.channels = channels;
        this.settings = settings;
        this.loop = loop;
        this.sink = sink;
        this.nanoTime = nanoTime;
        this.demand = demand;
        this.legacyHello = settings.embedded();
        this.rtt = new RttMonitor(address, channels, settings, loop, sink, nanoTime);
    }

    ServerAddress address() {
        return address;
    }

    /** Starts checking at once. */
    void start() {
        loop.execute(this::check);
    }

    /** Checks soon (at most every 500 ms); ignored while a check runs or the monitor streams. */
    void requestImmediateCheck() {
        loop.execute(() -> {
            if (closed || checking || streaming) {
                return;
            }
            long earliest = lastCheckStartNanos + TimeUnit.MILLISECONDS.toNanos(MIN_HEARTBEAT_FREQUENCY_MS);
            long at = Math.max(earliest, nanoTime.getAsLong());
            if (next == null || at < nextCheckNanos) {
                schedule(at);
            }
        });
    }

    /**
     * An application connection to the server failed on the network: the check in progress (or the stream) is
     * abandoned and its connection closed; its outcome is not reported.
     */
    void cancelInProgressCheck() {
        loop.execute(() -> {
            if (closed || !(checking || streaming)) {
                return;
            }
            check++;
            checking = false;
            streaming = false;
            rtt.stop();
            closeConnection();
            scheduleAfter(nextDelayMS());
        });
    }

    /** Stops monitoring and closes the monitor's connections. */
    void close() {
        loop.execute(() -> {
            closed = true;
            check++;
            if (next != null) {
                next.cancel(false);
                next = null;
            }
            rtt.stop();
            closeConnection();
        });
    }

    /** Monitoring connections open now (this monitor's, RTT included); any thread. */
    int connectionsOpen() {
        return (connected ? 1 : 0) + rtt.connectionsOpen();
    }

    /** Monitoring connections opened so far (this monitor's, RTT included). */
    long connectionsOpened() {
        return connections + rtt.connectionsOpened();
    }

    private void check() {
        next = null;
        if (closed || checking || streaming) {
            return;
        }
        checking = true;
        long id = ++check;
        lastCheckStartNanos = nanoTime.getAsLong();
        if (connection != null && connection.isUsable()) {
            long start = nanoTime.getAsLong();
            MonitorHello.send(connection, legacyHello, null, 0,
                    (reply, more) -> succeeded(id, reply, millisSince(start)), e -> failed(id, e));
            return;
        }
        closeConnection();
        connections++;
        channels.connect(-1, settings.connectTimeoutMS(), -1, !settings.embedded()).whenComplete((c, error) -> {
            if (error != null) {
                loop.execute(() -> failed(id, (UpstreamException) error));
                return;
            }
            loop.execute(() -> handshake(id, c));
        });
    }

    private void handshake(long id, BackendConnection c) {
        if (id != check) {
            c.close();
            return;
        }
        connection = c;
        connected = true;
        long start = nanoTime.getAsLong();
        BackendHandshake.reply(c, c.alloc(), settings.appName(), settings.compressors(), legacyHello)
                .whenComplete((reply, error) -> loop.execute(() -> {
                    if (error != null) {
                        failed(id, error instanceof UpstreamException u ? u : new UpstreamException(
                                UpstreamException.Kind.PROTOCOL_ERROR, address.toString(), error.getMessage(), error));
                    } else {
                        // a server that answered the isMaster fallback has no hello: keep to isMaster
                        legacyHello = !reply.containsKey("isWritablePrimary");
                        succeeded(id, reply, millisSince(start));
                    }
                }));
    }

    private void succeeded(long id, BsonDocument reply, double rttMillis) {
        if (id != check || closed) {
            return;
        }
        checking = false;
        sink.onHello(address, reply, rttMillis);
        BsonValue topologyVersion = reply.get("topologyVersion");
        if (BackendHandshake.isOk(reply) && topologyVersion != null && topologyVersion.isDocument()
                && settings.serverMonitoringMode() != UpstreamSettings.MonitoringMode.POLL && connection != null) {
            stream(topologyVersion);
            return;
        }
        scheduleAfter(nextDelayMS());
    }

    /**
     * The wait after a polled check: heartbeatFrequencyMS, or minHeartbeatFrequencyMS while operations wait for a
     * server (the server selection loop's immediate checks, kept up for as long as it waits).
     */
    private long nextDelayMS() {
        return demand.getAsBoolean() ? MIN_HEARTBEAT_FREQUENCY_MS : settings.heartbeatFrequencyMS();
    }

    /** Streaming: one awaitable hello after another, each answered when the server's state changes (or after maxAwaitTimeMS). */
    private void stream(BsonValue topologyVersion) {
        if (!streaming) {
            streaming = true;
            LOG.debug("[topology] {} streaming (serverMonitoringMode={})", address,
                    settings.serverMonitoringMode().optionValue());
            if (settings.connectTimeoutMS() > 0) {
                connection.socketTimeoutMS(settings.connectTimeoutMS() + settings.heartbeatFrequencyMS());
            }
            rtt.start();
        }
        long id = ++check;
        MonitorHello.send(connection, legacyHello, topologyVersion, settings.heartbeatFrequencyMS(),
                (reply, more) -> streamed(id, reply, more), e -> failed(id, e));
    }

    private void streamed(long id, BsonDocument reply, boolean moreToCome) {
        if (id != check || closed) {
            return;
        }
        lastCheckStartNanos = nanoTime.getAsLong();
        sink.onStreamedHello(address, reply);
        BsonValue topologyVersion = reply.get("topologyVersion");
        if (!BackendHandshake.isOk(reply) || topologyVersion == null || !topologyVersion.isDocument()) {
            streaming = false;
            rtt.stop();
            closeConnection();
            scheduleAfter(nextDelayMS());
        } else if (!moreToCome) {
            stream(topologyVersion);
        }
    }

    private void failed(long id, UpstreamException cause) {
        if (id != check || closed) {
            return;
        }
        check++;
        checking = false;
        streaming = false;
        rtt.stop();
        closeConnection();
        sink.onCheckFailed(address, cause.kind() == UpstreamException.Kind.NETWORK_TIMEOUT ? ErrorKind.TIMEOUT
                : ErrorKind.NETWORK, cause.getMessage());
        scheduleAfter(nextDelayMS());
    }

    private void scheduleAfter(long delayMS) {
        if (!closed && !checking && !streaming) {
            schedule(lastCheckStartNanos + TimeUnit.MILLISECONDS.toNanos(delayMS));
        }
    }

    private void schedule(long atNanos) {
        if (next != null) {
            next.cancel(false);
        }
        nextCheckNanos = atNanos;
        long delay = Math.max(0, atNanos - nanoTime.getAsLong());
        next = loop.schedule(this::check, delay, TimeUnit.NANOSECONDS);
    }

    private void closeConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
            connected = false;
        }
    }

    private double millisSince(long startNanos) {
        return Math.max(0, nanoTime.getAsLong() - startNanos) / 1_000_000.0;
    }
}
