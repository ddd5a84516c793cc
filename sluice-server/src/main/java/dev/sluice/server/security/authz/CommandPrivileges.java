package dev.sluice.server.security.authz;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.sluice.server.security.authz.ActionType.*;

/**
 * What a command requires, as mongod/mongos computes it, from the command document and its
 * {@code $db}. Pure: no I/O, no state; safe from any thread.
 *
 * <p>Write commands are read from the body: merge OP_MSG document sequences ({@code updates},
 * {@code ops}, {@code nsInfo}) into it as arrays first, or an upsert hidden in a sequence would
 * not add {@code insert}. The contents of an insert's {@code documents} and a delete's {@code deletes}
 * are never read (their namespace is the command's). Commands it does not know are {@link CommandRequirement.UnknownCommand}
 * and denied by default.
 */
public final class CommandPrivileges {

    /** mongod's commands with {@code requiresAuth() == false}. */
    private static final Set<String> NO_AUTHENTICATION = Set.of("hello", "isMaster", "ismaster", "saslStart",
            "saslContinue", "authenticate", "ping", "buildInfo", "buildinfo", "getnonce", "logout",
            "connectionStatus");

    /**
     * Commands any authenticated caller may run; what they act on is limited to the caller's own
     * sessions, transactions or connections, which the command itself enforces (Sluice, for connections).
     *
     * <p>Not here, unlike on mongod: {@code killOp}, {@code killSessions}, {@code currentOp} with
     * {@code $ownOps} and the {@code $currentOp} / {@code $listSessions} stages without {@code allUsers}. Their "own"
     * is decided upstream by the user the connection logged in as, and through Sluice every client's operations and
     * sessions run upstream as Sluice's one service user (or as nobody): "own" would be everyone's. They need the
     * action that lifts the limit instead ({@code killop}, {@code killAnySession}, {@code inprog},
     * {@code listSessions} on the cluster).
     */
    private static final Set<String> AUTHENTICATED_ONLY = Set.of("endSessions", "startSession", "refreshSessions",
            "abortTransaction", "commitTransaction", "listCommands", "whatsmyuri", "isdbgrid",
            "getLastError", "getlasterror", "driverOIDTest", "listConnections", "killConnection",
            "killConnections");

    /** Commands that need one action on the cluster resource. */
    private static final Map<String, ActionType> CLUSTER_ACTION = Map.ofEntries(
            Map.entry("serverStatus", SERVER_STATUS),
            Map.entry("connPoolStats", CONN_POOL_STATS),
            Map.entry("shardConnPoolStats", CONN_POOL_STATS),
            Map.entry("dropConnections", DROP_CONNECTIONS),
            Map.entry("connPoolSync", CONN_POOL_SYNC),
            Map.entry("hostInfo", HOST_INFO),
            Map.entry("getCmdLineOpts", GET_CMD_LINE_OPTS),
            Map.entry("getParameter", GET_PARAMETER),
            Map.entry("setParameter", SET_PARAMETER),
            Map.entry("getLog", GET_LOG),
            Map.entry("logRotate", LOG_ROTATE),
            Map.entry("replSetGetStatus", REPL_SET_GET_STATUS),
            Map.entry("replSetGetConfig", REPL_SET_GET_CONFIG),
            Map.entry("listShards", LIST_SHARDS),
            Map.entry("top", TOP),
            Map.entry("shutdown", SHUTDOWN),
            Map.entry("sluiceDrain", SHUTDOWN), // Sluice's own: a drain ends in a shutdown
            Map.entry("reloadConfig", SET_PARAMETER), // Sluice's own: settings changed at runtime, as setParameter
            Map.entry("fsync", FSYNC),
            Map.entry("fsyncUnlock", UNLOCK),
            Map.entry("netstat", NETSTAT),
            Map.entry("lockInfo", SERVER_STATUS),
            Map.entry("getDefaultRWConcern", GET_DEFAULT_RW_CONCERN),
            Map.entry("setDefaultRWConcern", SET_DEFAULT_RW_CONCERN),
            Map.entry("setFeatureCompatibilityVersion", SET_FEATURE_COMPATIBILITY_VERSION),
            Map.entry("getClusterParameter", GET_CLUSTER_PARAMETER),
            Map.entry("setClusterParameter", SET_CLUSTER_PARAMETER),
            Map.entry("rotateCertificates", ROTATE_CERTIFICATES),
            Map.entry("killAllSessions", KILL_ANY_SESSION),
            Map.entry("killSessions", KILL_ANY_SESSION), // "own" sessions: see AUTHENTICATED_ONLY
            Map.entry("killOp", KILLOP), // "own" operations: see AUTHENTICATED_ONLY
            Map.entry("killAllSessionsByPattern", KILL_ANY_SESSION),
            Map.entry("flushRouterConfig", FLUSH_ROUTER_CONFIG),
            Map.entry("getShardMap", GET_SHARD_MAP),
            Map.entry("shardingState", SHARDING_STATE));

    /** Commands that need one action on the database. */
    private static final Map<String, ActionType> DATABASE_ACTION = Map.of(
            "dbStats", DB_STATS,
            "dbstats", DB_STATS,
            "dbHash", DB_HASH,
            "dbhash", DB_HASH,
            "profile", ENABLE_PROFILER);

    /** Commands that need one action on the namespace named by their first field. */
    private static final Map<String, ActionType> COLLECTION_ACTION = Map.ofEntries(
            Map.entry("collStats", COLL_STATS),
            Map.entry("collstats", COLL_STATS),
            Map.entry("validate", VALIDATE),
            Map.entry("compact", COMPACT),
            Map.entry("reIndex", RE_INDEX),
            Map.entry("convertToCapped", CONVERT_TO_CAPPED),
            Map.entry("analyze", ANALYZE),
            Map.entry("planCacheClear", PLAN_CACHE_WRITE),
            Map.entry("planCacheListFilters", PLAN_CACHE_INDEX_FILTER),
            Map.entry("planCacheSetFilter", PLAN_CACHE_INDEX_FILTER),
            Map.entry("planCacheClearFilters", PLAN_CACHE_INDEX_FILTER),
            Map.entry("createSearchIndexes", CREATE_SEARCH_INDEXES),
            Map.entry("dropSearchIndex", DROP_SEARCH_INDEX),
            Map.entry("updateSearchIndex", UPDATE_SEARCH_INDEX),
            Map.entry("listSearchIndexes", LIST_SEARCH_INDEXES));

    /** mongod's adminOnly() commands among those known here (and Sluice's connection commands). */
    private static final Set<String> ADMIN_ONLY = Set.of("listDatabases", "renameCollection", "dropConnections",
            "getCmdLineOpts", "getParameter", "setParameter", "getLog", "logRotate", "replSetGetStatus",
            "replSetGetConfig", "listShards", "top", "shutdown", "fsync", "fsyncUnlock", "netstat", "lockInfo",
            "getDefaultRWConcern", "setDefaultRWConcern", "setFeatureCompatibilityVersion", "getClusterParameter",
            "setClusterParameter", "rotateCertificates", "invalidateUserCache", "flushRouterConfig", "getShardMap",
            "shardingState", "currentOp", "killOp", "bulkWrite", "listConnections", "killConnection",
            "killConnections", "sluiceDrain", "reloadConfig");

    private CommandPrivileges() {
    }

    /**
     * The requirement of {@code command} (its first key is the command name) sent to database
     * {@code db}.
     */
    public static CommandRequirement of(BsonDocument command, String db) {
        if (command.isEmpty()) {
            return new CommandRequirement.Malformed("", db, "empty command document");
        }
        String name = command.getFirstKey();
        if (NO_AUTHENTICATION.contains(name)) {
            return new CommandRequirement.NoAuthentication(name);
        }
        try {
            AccessCheck check = check(name, command, db);
            if (check == null) {
                return new CommandRequirement.UnknownCommand(name, db,
                        "no such command: '" + name + "' in Sluice's authorization model");
            }
            return new CommandRequirement.Authorization(name, db, ADMIN_ONLY.contains(name), check);
        } catch (MalformedCommand | IllegalArgumentException e) {
            return new CommandRequirement.Malformed(name, db, e.getMessage());
        }
    }

    /**
     * Whether the caller may see every client's row in {@code listConnections} (and every operation
     * in {@code currentOp}): {@code inprog} on the cluster. Without it, only its own.
     */
    public static boolean canSeeAll(PrivilegeSet privileges) {
        return privileges.isAuthorized(Resource.cluster(), INPROG);
    }

    /**
     * Whether the caller may kill any client's connection with {@code killConnection(s)} (and any
     * operation with {@code killOp}): {@code killop} on the cluster. Without it, only its own.
     */
    public static boolean canKillAll(PrivilegeSet privileges) {
        return privileges.isAuthorized(Resource.cluster(), KILLOP);
    }

    /**
     * Whether {@code listDatabases} shows database {@code db} to a caller that may not list them all
     * (mongod's filter: some action on some resource in it).
     */
    public static boolean canSeeDatabase(PrivilegeSet privileges, String db) {
        return privileges.isAuthorized(Resource.cluster(), LIST_DATABASES) || privileges.hasAnyActionInDatabase(db);
    }

    private static AccessCheck check(String name, BsonDocument command, String db) {
        if (AUTHENTICATED_ONLY.contains(name)) {
            return AccessCheck.authenticated();
        }
        ActionType cluster = CLUSTER_ACTION.get(name);
        if (cluster != null) {
            return AccessCheck.granted(Resource.cluster(), cluster);
        }
        ActionType database = DATABASE_ACTION.get(name);
        if (database != null) {
            return AccessCheck.granted(Resource.database(db), database);
        }
        ActionType collection = COLLECTION_ACTION.get(name);
        if (collection != null) {
            return AccessCheck.granted(CommandArgs.collection(db, command.get(name)), collection);
        }
        switch (name) {
            case "explain":
                return explain(command, db);
            case "currentOp": // with or without $ownOps: see AUTHENTICATED_ONLY
                return AccessCheck.granted(Resource.cluster(), INPROG);
            case "filemd5": {
                String root = command.containsKey("root") ? CommandArgs.string(command, "root") : "fs";
                return AccessCheck.granted(Resource.namespace(db, root + ".chunks"), FIND);
            }
            default:
                break;
        }
        List<AccessCheck> checks = DataPrivileges.of(name, command, db);
        if (checks == null) {
            checks = UserAdminPrivileges.of(name, command, db);
        }
        return checks == null ? null : AccessCheck.allOf(checks);
    }

    /** explain needs what the explained command needs (on the same database). */
    private static AccessCheck explain(BsonDocument command, String db) {
        BsonValue inner = command.get("explain");
        BsonDocument explained = CommandArgs.document(inner, "explain");
        if (explained.isEmpty()) {
            throw new MalformedCommand("explain: empty command document");
        }
        String innerName = explained.getFirstKey();
        if (innerName.equals("explain")) {
            throw new MalformedCommand("explain: cannot explain an explain");
        }
        AccessCheck check = check(innerName, explained, db);
        if (check == null || NO_AUTHENTICATION.contains(innerName)) {
            throw new MalformedCommand("explain: command '" + innerName + "' cannot be explained");
        }
        return check;
    }
}
