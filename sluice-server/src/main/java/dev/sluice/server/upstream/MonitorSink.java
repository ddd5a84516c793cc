package dev.sluice.server.upstream;

import dev.sluice.server.topology.ErrorKind;
import dev.sluice.server.topology.ServerAddress;
import org.bson.BsonDocument;

/** Where a {@link ServerMonitor} reports what it sees: the topology, through the cluster. */
interface MonitorSink {
    /** A check's hello reply and its round trip. */
    void onHello(ServerAddress address, BsonDocument reply, double rttMillis);

    /** A streamed (awaitable) hello reply: no round trip measured. */
    void onStreamedHello(ServerAddress address, BsonDocument reply);

    /** The RTT connection of a streaming monitor measured a round trip. */
    void onRttSample(ServerAddress address, double rttMillis);

    /** A check failed: network error, timeout, or a refused hello. */
    void onCheckFailed(ServerAddress address, ErrorKind kind, String message);
}
