package dev.sluice.server.admin;

import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.registry.ConnectionRegistry;
import dev.sluice.server.registry.ConnectionStatus;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds {@code serverStatus}: mongod's header fields and its {@code connections} section (for the
 * mongodb connector), plus a {@code sluice} section with every connector, the pool totals and the upstream
 * topology (type, set name, each server's type, role, round trip and error).
 */
final class ServerStatusReport {
    static final String MONGODB = "mongodb";
    /** The load-balanced face's connector: its clients count in {@code connections} too. */
    static final String MONGODB_LB = "mongodb-lb";
    /** {connector: {setting: closes}}: connections closed because they crossed a limit. */
    private BsonDocument limitCloses() {
        BsonDocument out = new BsonDocument();
        registry.limitCloses().forEach((connector, byLimit) -> {
            BsonDocument d = new BsonDocument();
            byLimit.forEach((limit, n) -> d.append(limit, new BsonInt64(n)));
            out.append(connector, d);
        });
        return out;
    }

    /** Connectors shown in the sluice section even before their first connection. */
    private static final List<String> KNOWN_CONNECTORS = List.of(MONGODB, "http");

    private final ConnectionRegistry registry;
    private final ConnectionAdmin admin;
    private final AdminSettings settings;
    private final Clock clock;
    private final long pid = ProcessHandle.current().pid();

    ServerStatusReport(ConnectionRegistry registry, ConnectionAdmin admin, AdminSettings settings, Clock clock) {
        this.registry = registry;
        this.admin = admin;
        this.settings = settings;
        this.clock = clock;
    }

    BsonDocument build() {
        Instant now = clock.instant();
        long uptimeMillis = Math.max(0, Duration.between(settings.startTime(), now).toMillis());
        List<ConnectionEntry> entries = registry.snapshot();
        Map<String, int[]> perConnector = new TreeMap<>();
        for (String connector : KNOWN_CONNECTORS) {
            perConnector.put(connector, new int[2]);
        }
        int awaiting = 0;
        int exhaustHello = 0;
        int exhaustIsMaster = 0;
        for (ConnectionEntry entry : entries) {
            switch (entry.helloWait()) {
                case 1 -> awaiting++;
                case 2 -> { awaiting++; exhaustHello++; }
                case 3 -> { awaiting++; exhaustIsMaster++; }
                default -> { }
            }
            int[] counts = perConnector.computeIfAbsent(entry.connector(), c -> new int[2]);
            counts[0]++;
            if (entry.status() == ConnectionStatus.RUNNING) {
                counts[1]++;
            }
        }
        int current = registry.currentCount(MONGODB) + registry.currentCount(MONGODB_LB);
        BsonDocument connections = new BsonDocument()
                .append("current", new BsonInt32(current))
                .append("available", new BsonInt32(Math.max(0, settings.maxIncomingConnections() - current)))
                .append("totalCreated", new BsonInt64(registry.totalAccepted(MONGODB) + registry.totalAccepted(MONGODB_LB)))
                .append("rejected", new BsonInt64(registry.totalRejected(MONGODB) + registry.totalRejected(MONGODB_LB)))
                .append("active", new BsonInt32(perConnector.get(MONGODB)[1]
                        + perConnector.getOrDefault(MONGODB_LB, new int[2])[1]))
                .append("threaded", new BsonInt32(current))
                .append("exhaustIsMaster", new BsonInt32(exhaustIsMaster))
                .append("exhaustHello", new BsonInt32(exhaustHello))
                .append("awaitingTopologyChanges", new BsonInt32(awaiting));

        BsonDocument connectors = new BsonDocument();
        for (Map.Entry<String, int[]> e : perConnector.entrySet()) {
            connectors.append(e.getKey(), new BsonDocument()
                    .append("current", new BsonInt32(e.getValue()[0]))
                    .append("active", new BsonInt32(e.getValue()[1]))
                    .append("totalCreated", new BsonInt64(registry.totalAccepted(e.getKey())))
                    .append("rejected", new BsonInt64(registry.totalRejected(e.getKey()))));
        }
        PoolSummary summary = admin.pools();
        BsonDocument pools = BsonViews.pools(summary);
        pools.remove("hosts");
        pools.remove("pools");
        pools.remove("replicaSets");
        pools.append("hostCount", new BsonInt32(summary.hosts().size()));

        return new BsonDocument()
                .append("host", new BsonString(settings.host()))
                .append("version", new BsonString(settings.version()))
                .append("process", new BsonString("sluice"))
                .append("pid", new BsonInt64(pid))
                .append("uptime", new BsonDouble(uptimeMillis / 1000))
                .append("uptimeMillis", new BsonInt64(uptimeMillis))
                .append("uptimeEstimate", new BsonInt64(uptimeMillis / 1000))
                .append("localTime", new BsonDateTime(now.toEpochMilli()))
                .append("connections", connections)
                .append("sluice", new BsonDocument()
                        .append("maxIncomingConnections", new BsonInt32(settings.maxIncomingConnections()))
                        .append("connectors", connectors)
                        .append("limitCloses", limitCloses())
                        .append("pools", pools)
                        .append("topology", TopologyViews.summary(admin.topology())))
                .append("ok", new BsonDouble(1));
    }
}
