package dev.sluice.server.admin;

import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.registry.ConnectionRegistry;
import dev.sluice.server.upstream.PoolDirectory;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The connection-management commands of the mongodb connector. The client session asks
 * {@link #handles} for each command name (case-sensitive, as mongod) and, when true, sends its reply
 * from {@link #execute}, then runs {@link AdminReply#afterReply()} once the reply is flushed.
 *
 * <p>Where each command may run: {@code listConnections}, {@code killConnection},
 * {@code killConnections} and {@code dropConnections} only against the {@code admin} database (they
 * see or act on other clients' connections, like mongod's admin-only commands; elsewhere:
 * code 13 Unauthorized, "&lt;cmd&gt; may only be run against the admin database."). {@code connPoolStats}
 * and {@code serverStatus} run against any database, as on mongod.
 */
public final class AdminCommands {
    static final String LIST_CONNECTIONS = "listConnections";
    static final String KILL_CONNECTIONS = "killConnections";
    static final String KILL_CONNECTION = "killConnection";
    static final String DROP_CONNECTIONS = "dropConnections";
    static final String CONN_POOL_STATS = "connPoolStats";
    static final String SERVER_STATUS = "serverStatus";

    private static final Set<String> NAMES = Set.of(LIST_CONNECTIONS, KILL_CONNECTIONS, KILL_CONNECTION,
            DROP_CONNECTIONS, CONN_POOL_STATS, SERVER_STATUS);
    private static final Set<String> ADMIN_ONLY = Set.of(LIST_CONNECTIONS, KILL_CONNECTIONS, KILL_CONNECTION,
            DROP_CONNECTIONS);
    private static final BsonDouble OK = new BsonDouble(1);

    private final ConnectionAdmin admin;
    private final ServerStatusReport serverStatus;

    public AdminCommands(ConnectionRegistry registry, PoolDirectory pools, AdminSettings settings, Clock clock) {
        this(registry, new ConnectionAdmin(registry, pools), settings, clock);
    }

    /** With a shared {@link ConnectionAdmin} (the one the HTTP API uses). */
    public AdminCommands(ConnectionRegistry registry, ConnectionAdmin admin, AdminSettings settings, Clock clock) {
        this.admin = admin;
        this.serverStatus = new ServerStatusReport(registry, admin, settings, clock);
    }

    /** Whether {@code commandName} (the first key of the command document) is one of these commands. */
    public boolean handles(String commandName) {
        return NAMES.contains(commandName);
    }

    /**
     * Runs a command. Never throws for bad input: errors come back as {@code {ok: 0, ...}} replies.
     *
     * @param database the command's {@code $db}
     * @param caller   the connection that sent it
     */
    public AdminReply execute(String commandName, BsonDocument command, String database, ConnectionEntry caller) {
        if (!handles(commandName)) {
            throw new IllegalArgumentException("not an admin command: " + commandName);
        }
        try {
            if (ADMIN_ONLY.contains(commandName) && !"admin".equals(database)) {
                throw CommandFailure.adminOnly(commandName);
            }
            switch (commandName) {
                case LIST_CONNECTIONS: return AdminReply.of(listConnections(caller));
                case KILL_CONNECTIONS: return kill(ids(command), caller);
                case KILL_CONNECTION: return kill(List.of(id(command)), caller);
                case DROP_CONNECTIONS: return AdminReply.of(dropConnections(command));
                case CONN_POOL_STATS: return AdminReply.of(BsonViews.pools(admin.pools()).append("ok", OK));
                default: return AdminReply.of(serverStatus.build());
            }
        } catch (CommandFailure failure) {
            return AdminReply.of(failure.toReply());
        }
    }

    private BsonDocument listConnections(ConnectionEntry caller) {
        BsonDocument cursor = new BsonDocument()
                .append("id", new BsonInt64(0))
                .append("ns", new BsonString("admin.$cmd." + LIST_CONNECTIONS))
                .append("firstBatch", BsonViews.connections(admin.list(caller)));
        return new BsonDocument("cursor", cursor).append("ok", OK);
    }

    private AdminReply kill(List<String> ids, ConnectionEntry caller) {
        KillReport report = admin.kill(ids, caller);
        BsonDocument reply = new BsonDocument("results", BsonViews.killResults(report.results())).append("ok", OK);
        return new AdminReply(reply, report.afterReply());
    }

    private static List<String> ids(BsonDocument command) {
        BsonValue value = command.get(KILL_CONNECTIONS);
        if (!value.isArray()) {
            throw CommandFailure.wrongType(KILL_CONNECTIONS, value, "array");
        }
        BsonArray array = value.asArray();
        List<String> ids = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            BsonValue element = array.get(i);
            if (!element.isString()) {
                throw CommandFailure.wrongType(KILL_CONNECTIONS + "." + i, element, "string");
            }
            ids.add(element.asString().getValue());
        }
        return ids;
    }

    private static String id(BsonDocument command) {
        BsonValue value = command.get(KILL_CONNECTION);
        if (!value.isString()) {
            throw CommandFailure.wrongType(KILL_CONNECTION, value, "string");
        }
        return value.asString().getValue();
    }

    private BsonDocument dropConnections(BsonDocument command) {
        BsonValue value = command.get("hostAndPort");
        if (value == null) {
            throw CommandFailure.missing(DROP_CONNECTIONS + ".hostAndPort");
        }
        if (!value.isArray()) {
            throw CommandFailure.wrongType(DROP_CONNECTIONS + ".hostAndPort", value, "array");
        }
        List<String> hosts = new ArrayList<>();
        for (BsonValue element : value.asArray()) {
            if (element.isString()) {
                hosts.add(element.asString().getValue());
            }
        }
        BsonValue comment = command.get("comment");
        admin.drop(hosts, comment == null ? null : json(comment));
        return new BsonDocument("ok", OK);
    }

    /** Any BSON value as relaxed extended JSON, for the log. */
    private static String json(BsonValue value) {
        String document = new BsonDocument("c", value).toJson();
        return document.substring(document.indexOf(':') + 1, document.length() - 1).trim();
    }
}
