package dev.sluice.server.admin;

import dev.sluice.server.topology.TopologyDescription;
import dev.sluice.server.upstream.HostPoolStats;
import org.bson.BsonArray;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.io.BasicOutputBuffer;

import java.util.List;

/** The admin views as BSON, with the field names of listConnections, killConnections and connPoolStats. */
final class BsonViews {
    private BsonViews() {
    }

    static BsonDocument connection(ConnectionView view) {
        BsonDocument row = new BsonDocument()
                .append("connectionId", new BsonString(view.connectionId()))
                .append("connectTime", new BsonString(view.connectTime()))
                .append("connector", new BsonString(view.connector()))
                .append("username", string(view.username()))
                .append("userAgent", string(view.userAgent()))
                .append("serverAddress", string(view.serverAddress()))
                .append("clientAddress", string(view.clientAddress()))
                .append("status", new BsonString(view.status()))
                .append("appName", string(view.appName()))
                .append("driver", string(view.driver()))
                .append("opCount", new BsonInt64(view.opCount()))
                .append("bytesIn", new BsonInt64(view.bytesIn()))
                .append("bytesOut", new BsonInt64(view.bytesOut()))
                .append("currentOp", string(view.currentOp()))
                .append("currentOpRunningMillis", new BsonInt64(view.currentOpRunningMillis()))
                .append("pinnedHost", string(view.pinnedHost()));
        if (view.instance() != null) {
            row.append("instance", new BsonString(view.instance()));
        }
        return row;
    }

    /**
     * The same rows as {@link #connection}, written straight to BSON (same fields, same order, same types): no
     * {@code BsonDocument}, map or value object per field and no codec lookup per value, for batches of thousands
     * of rows; the reply's encoder copies their bytes as they are. The rows of one batch are written one after
     * another into one buffer by one writer (no buffer or writer per row): each row is a {@link RawBsonDocument}
     * over its own bytes of that buffer. A buffer that grows leaves the rows written before it on the old array,
     * which is never written again.
     */
    static final class ConnectionRows {
        private final BasicOutputBuffer out = new BasicOutputBuffer(16 * 1024);
        private final BsonBinaryWriter writer = new BsonBinaryWriter(out);

        RawBsonDocument add(ConnectionView view) {
            int start = out.getPosition();
            write(writer, view);
            return new RawBsonDocument(out.getInternalBuffer(), start, out.getPosition() - start);
        }
    }

    private static void write(BsonBinaryWriter w, ConnectionView view) {
        w.writeStartDocument();
        w.writeString("connectionId", view.connectionId());
        w.writeString("connectTime", view.connectTime());
        w.writeString("connector", view.connector());
        string(w, "username", view.username());
        string(w, "userAgent", view.userAgent());
        string(w, "serverAddress", view.serverAddress());
        string(w, "clientAddress", view.clientAddress());
        w.writeString("status", view.status());
        string(w, "appName", view.appName());
        string(w, "driver", view.driver());
        w.writeInt64("opCount", view.opCount());
        w.writeInt64("bytesIn", view.bytesIn());
        w.writeInt64("bytesOut", view.bytesOut());
        string(w, "currentOp", view.currentOp());
        w.writeInt64("currentOpRunningMillis", view.currentOpRunningMillis());
        string(w, "pinnedHost", view.pinnedHost());
        if (view.instance() != null) {
            w.writeString("instance", view.instance());
        }
        w.writeEndDocument();
    }

    private static void string(BsonBinaryWriter w, String name, String value) {
        if (value == null) {
            w.writeNull(name);
        } else {
            w.writeString(name, value);
        }
    }

    /**
     * An upper bound of {@link #connection}'s encoded size, as an element of a batch array, without
     * encoding it: names, types and numbers take at most {@value #ROW_OVERHEAD} bytes, and a string at
     * most 3 UTF-8 bytes per UTF-16 unit.
     */
    static long maxEncodedSize(ConnectionView view) {
        long chars = length(view.connectionId()) + length(view.connectTime()) + length(view.connector())
                + length(view.username()) + length(view.userAgent()) + length(view.serverAddress())
                + length(view.clientAddress()) + length(view.status()) + length(view.appName())
                + length(view.driver()) + length(view.currentOp()) + length(view.pinnedHost())
                + length(view.instance());
        return ROW_OVERHEAD + 3 * chars;
    }

    private static final int ROW_OVERHEAD = 512;

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    static BsonArray connections(List<ConnectionView> views) {
        BsonArray rows = new BsonArray(new java.util.ArrayList<>(views.size()));
        for (ConnectionView view : views) {
            rows.add(connection(view));
        }
        return rows;
    }

    static BsonArray killResults(List<KillResult> results) {
        BsonArray rows = new BsonArray(new java.util.ArrayList<>(results.size()));
        for (KillResult result : results) {
            rows.add(new BsonDocument()
                    .append("connectionId", new BsonString(result.connectionId()))
                    .append("username", string(result.username()))
                    .append("message", new BsonString(result.message())));
        }
        return rows;
    }

    /** connPoolStats' body (without {@code ok}), with no replica set. */
    static BsonDocument pools(PoolSummary summary) {
        return pools(summary, TopologyDescription.empty());
    }

    /** connPoolStats' body (without {@code ok}): the pools, and the replica set's members from {@code topology}. */
    static BsonDocument pools(PoolSummary summary, TopologyDescription topology) {
        BsonDocument hosts = new BsonDocument();
        for (HostPoolStats host : summary.hosts().values()) {
            hosts.append(host.host(), poolFigures(host));
        }
        org.bson.BsonArray users = new org.bson.BsonArray();
        for (HostPoolStats user : summary.users()) {
            users.add(new BsonDocument("host", new BsonString(user.host())).append("user", new BsonString(user.user()))
                    .append("pool", poolFigures(user)));
        }
        BsonDocument pool = new BsonDocument()
                .append("poolInUse", new BsonInt32(summary.totalInUse()))
                .append("poolAvailable", new BsonInt32(summary.totalAvailable()))
                .append("poolCreated", new BsonInt64(summary.totalCreated()))
                .append("poolRefreshing", new BsonInt32(summary.totalRefreshing()));
        for (String host : hosts.keySet()) {
            pool.append(host, hosts.get(host));
        }
        return new BsonDocument()
                .append("numClientConnections", new BsonInt32(summary.totalInUse() + summary.totalAvailable()))
                .append("numAScopedConnections", new BsonInt32(0))
                .append("totalInUse", new BsonInt32(summary.totalInUse()))
                .append("totalAvailable", new BsonInt32(summary.totalAvailable()))
                .append("totalCreated", new BsonInt64(summary.totalCreated()))
                .append("totalRefreshing", new BsonInt32(summary.totalRefreshing()))
                .append("totalWaitQueueSize", new BsonInt32(summary.totalWaitQueueSize()))
                .append("totalLeased", new BsonInt32(0))
                .append("replicaSetMatchingStrategy", new BsonString("matchPrimaryNode"))
                .append("pools", new BsonDocument("NetworkInterfaceSluice", pool))
                .append("hosts", hosts)
                .append("users", users)
                .append("replicaSets", TopologyViews.replicaSets(topology));
    }

    /** One pool's figures, with mongod's names. */
    private static BsonDocument poolFigures(HostPoolStats host) {
        return new BsonDocument()
                .append("inUse", new BsonInt32(host.inUse()))
                .append("available", new BsonInt32(host.available()))
                .append("created", new BsonInt64(host.created()))
                .append("refreshing", new BsonInt32(host.refreshing()))
                .append("closed", new BsonInt64(host.closed()))
                .append("maxPoolSize", new BsonInt32(host.maxPoolSize()))
                .append("waitQueueSize", new BsonInt32(host.waitQueueSize()))
                .append("waitQueueTimeouts", new BsonInt64(host.waitQueueTimeouts()))
                .append("clears", new BsonInt64(host.clears()))
                .append("generation", new BsonInt32(host.generation()))
                .append("state", new BsonString(host.state()));
    }

    static BsonValue string(String value) {
        return value == null ? BsonNull.VALUE : new BsonString(value);
    }
}
