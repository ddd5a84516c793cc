package dev.sluice.server.admin;

import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.registry.ConnectionRegistry;
import dev.sluice.server.upstream.PoolDirectory;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonValue;

import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * The connection-management commands of the mongodb connector. The client session asks
 * {@link #handles(String, BsonDocument, String)} for each command (names are case-sensitive, as on
 * mongod) and, when true, runs {@link #execute} off its event loop (on the {@link AdminExecutor}),
 * sends the reply, then runs {@link AdminReply#afterReply()} once the reply is flushed. Besides the
 * six commands it answers the {@code getMore} and {@code killCursors} of listConnections' cursors
 * (collection {@code $cmd.listConnections} on admin), which must never reach an upstream server.
 *
 * <p>Every argument is read in one pass and bounded: at most {@code maxAdminIds} ids, hosts or cursor
 * ids per command (BadValue naming the setting and the count).
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
    static final String GET_MORE = "getMore";
    static final String KILL_CURSORS = "killCursors";
    private static final BsonDouble OK = new BsonDouble(1);

    private final ConnectionAdmin admin;
    private final ServerStatusReport serverStatus;
    private final ListConnections listConnections;
    private final int maxAdminIds;
    private volatile java.util.function.Supplier<FleetConnections> fleet = () -> null;

    public AdminCommands(ConnectionRegistry registry, PoolDirectory pools, AdminSettings settings, Clock clock) {
        this(registry, new ConnectionAdmin(registry, pools), settings, clock);
    }

    /** With a shared {@link ConnectionAdmin} (the one the HTTP API uses). */
    public AdminCommands(ConnectionRegistry registry, ConnectionAdmin admin, AdminSettings settings, Clock clock) {
        this.admin = admin;
        this.serverStatus = new ServerStatusReport(registry, admin, settings, clock);
        this.maxAdminIds = settings.maxAdminIds();
        ConnectionCursors cursors = new ConnectionCursors(registry, clock, settings);
        registry.addListener(cursors);
        this.listConnections = new ListConnections(admin, cursors, maxAdminIds);
    }

    /**
     * The fleet view ({@code listConnections} with {@code fleet: true}, kills with {@code instance}); it may
     * answer null until the fleet is joined, and always without one.
     */
    public void fleet(java.util.function.Supplier<FleetConnections> supplier) {
        this.fleet = supplier;
        listConnections.fleet(supplier);
    }

    /** Whether {@code commandName} (the first key of the command document) is one of the six commands. */
    public boolean handles(String commandName) {
        return NAMES.contains(commandName);
    }

    /**
     * Whether Sluice answers this command itself: one of the six commands, or a getMore/killCursors
     * on listConnections' cursors ({@code collection: "$cmd.listConnections"}, {@code $db: admin}).
     */
    public boolean handles(String commandName, BsonDocument command, String database) {
        return handles(commandName) || ListConnections.isCursorCommand(commandName, command, database);
    }

    /** As {@link #handles(String, BsonDocument, String)}, decoding the command only for a getMore or killCursors. */
    public boolean handles(String commandName, dev.sluice.server.wire.CommandBody command, String database) {
        return handles(commandName) || ("getMore".equals(commandName) || "killCursors".equals(commandName))
                && ListConnections.isCursorCommand(commandName, command.document(), database);
    }

    /**
     * Runs a command. Never throws for bad input: errors come back as {@code {ok: 0, ...}} replies.
     *
     * @param database the command's {@code $db}
     * @param caller   the connection that sent it
     */
    public AdminReply execute(String commandName, BsonDocument command, String database, ConnectionEntry caller) {
        if (!handles(commandName, command, database)) {
            throw new IllegalArgumentException("not an admin command: " + commandName);
        }
        try {
            if (ADMIN_ONLY.contains(commandName) && !"admin".equals(database)) {
                throw CommandFailure.adminOnly(commandName);
            }
            switch (commandName) {
                case LIST_CONNECTIONS: return AdminReply.of(listConnections.list(command, caller));
                case GET_MORE: return AdminReply.of(listConnections.getMore(command, caller));
                case KILL_CURSORS: return AdminReply.of(listConnections.killCursors(command, caller));
                case KILL_CONNECTIONS:
                    return kill(ArrayArguments.strings(command.get(KILL_CONNECTIONS), KILL_CONNECTIONS, maxAdminIds),
                            instance(command), caller);
                case KILL_CONNECTION: return kill(List.of(id(command)), instance(command), caller);
                case DROP_CONNECTIONS: return AdminReply.of(dropConnections(command, caller));
                case CONN_POOL_STATS: return AdminReply.of(
                        BsonViews.pools(admin.pools(), admin.topologyDescription()).append("ok", OK));
                default: return AdminReply.of(serverStatus.build());
            }
        } catch (CommandFailure failure) {
            return AdminReply.of(failure.toReply());
        }
    }

    private AdminReply kill(List<String> ids, String instance, ConnectionEntry caller) {
        if (instance != null) {
            FleetConnections f = fleet.get();
            if (f == null) {
                throw CommandFailure.badValue("instance: '" + instance + "' names a Sluice of a fleet, and this Sluice is "
                        + "in none (fleet.enabled, with an upstream)");
            }
            if (!instance.equals(f.selfId())) {
                checkReplySize(ids);
                List<KillResult> results;
                try {
                    results = f.kill(instance, ids, admin.scopeOf(caller), requester(caller));
                } catch (RuntimeException e) {
                    throw CommandFailure.hostUnreachable("killing connections on instance " + instance + ": "
                            + e.getMessage());
                }
                return AdminReply.of(new BsonDocument("results", BsonViews.killResults(results)).append("ok", OK));
            }
        }
        return kill(ids, caller);
    }

    /** Who asks, for another instance's log and audit line: the user (or the connection) and its address. */
    static String requester(ConnectionEntry caller) {
        if (caller == null) {
            return "an operator";
        }
        return (caller.username() == null ? caller.connectionId() : caller.username()) + " from " + caller.clientAddress();
    }

    private static String instance(BsonDocument command) {
        BsonValue value = command.get("instance");
        if (value == null) {
            return null;
        }
        if (!value.isString()) {
            throw CommandFailure.wrongType("instance", value, "string");
        }
        return value.asString().getValue();
    }

    private AdminReply kill(List<String> ids, ConnectionEntry caller) {
        checkReplySize(ids);
        KillReport report = admin.kill(ids, caller);
        BsonDocument reply = new BsonDocument("results", BsonViews.killResults(report.results())).append("ok", OK);
        return new AdminReply(reply, report.afterReply());
    }

    /**
     * The reply echoes every id: refuse, before killing anything, a request whose reply could not be
     * sent (over {@value #MAX_KILL_REPLY_BYTES} bytes, under mongod's 16 MiB document limit).
     */
    private static void checkReplySize(List<String> ids) {
        long bytes = 0;
        for (String id : ids) {
            bytes += KILL_ROW_BYTES + maxUtf8Length(id);
        }
        if (bytes > MAX_KILL_REPLY_BYTES) {
            throw CommandFailure.badValue(KILL_CONNECTIONS + " names " + ids.size() + " ids whose results would take "
                    + "up to " + bytes + " bytes, more than a reply may hold (" + MAX_KILL_REPLY_BYTES
                    + "); send fewer or shorter ids per command");
        }
    }

    /**
     * A results row without its id: field names and types, "n/a", the longer message, an index of up
     * to 7 digits (a found connection's username is in the 1 MiB left under 16 MiB).
     */
    private static final int KILL_ROW_BYTES = 100;
    private static final int MAX_KILL_REPLY_BYTES = 15 << 20;

    private static long maxUtf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            n += s.charAt(i) < 0x80 ? 1 : 3;
        }
        return n;
    }

    private static String id(BsonDocument command) {
        BsonValue value = command.get(KILL_CONNECTION);
        if (!value.isString()) {
            throw CommandFailure.wrongType(KILL_CONNECTION, value, "string");
        }
        return value.asString().getValue();
    }

    private BsonDocument dropConnections(BsonDocument command, ConnectionEntry caller) {
        List<String> hosts = ArrayArguments.strings(command.get("hostAndPort"), DROP_CONNECTIONS + ".hostAndPort",
                maxAdminIds);
        BsonValue comment = command.get("comment");
        admin.drop(hosts, comment == null ? null : json(comment), caller);
        return new BsonDocument("ok", OK);
    }

    /** Any BSON value as relaxed extended JSON, for the log. */
    private static String json(BsonValue value) {
        String document = new BsonDocument("c", value).toJson();
        return document.substring(document.indexOf(':') + 1, document.length() - 1).trim();
    }
}
