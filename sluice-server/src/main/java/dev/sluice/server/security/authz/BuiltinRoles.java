package dev.sluice.server.security.authz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.sluice.server.security.authz.ActionType.*;

/**
 * mongod's built-in roles with mongod's privileges (src/mongo/db/auth/builtin_roles.yml).
 * {@code read}, {@code readWrite}, {@code dbAdmin}, {@code dbOwner}, {@code userAdmin} and
 * {@code enableSharding} exist in every database; the others only in {@code admin}.
 * Not modelled: mongod's time-series {@code system.buckets} patterns.
 *
 * <p>Where Sluice's own actions are: {@code serverStatus}, {@code connPoolStats} and
 * {@code inprog} are in {@code clusterMonitor}; {@code dropConnections} and {@code killop} in
 * {@code hostManager}; {@code clusterAdmin} has both (and {@code root} inherits
 * {@code clusterAdmin}); {@code backup} also has {@code serverStatus}.
 */
public final class BuiltinRoles {
    public static final String ADMIN = "admin";

    private static final Set<String> EVERY_DB = Set.of("read", "readWrite", "dbAdmin", "dbOwner", "userAdmin",
            "enableSharding");
    private static final Set<String> ADMIN_ONLY = Set.of("readAnyDatabase", "readWriteAnyDatabase",
            "userAdminAnyDatabase", "dbAdminAnyDatabase", "clusterMonitor", "hostManager", "clusterManager",
            "clusterAdmin", "backup", "restore", "root", "directShardOperations", "__queryableBackup", "__system");

    private static final ActionType[] READ = {CHANGE_STREAM, COLL_STATS, DB_HASH, DB_STATS, FIND, KILL_CURSORS,
        LIST_COLLECTIONS, LIST_INDEXES, LIST_SEARCH_INDEXES, PLAN_CACHE_READ};
    private static final ActionType[] READ_WRITE = plus(READ, CLEANUP_STRUCTURED_ENCRYPTION_DATA,
            COMPACT_STRUCTURED_ENCRYPTION_DATA, CONVERT_TO_CAPPED, CREATE_COLLECTION, CREATE_INDEX,
            CREATE_SEARCH_INDEXES, DROP_COLLECTION, DROP_INDEX, DROP_SEARCH_INDEX, INSERT, REMOVE,
            RENAME_COLLECTION_SAME_DB, UPDATE, UPDATE_SEARCH_INDEX);
    private static final ActionType[] USER_ADMIN = {CHANGE_CUSTOM_DATA, CHANGE_PASSWORD, CREATE_USER, CREATE_ROLE,
        DROP_USER, DROP_ROLE, GRANT_ROLE, REVOKE_ROLE, SET_AUTHENTICATION_RESTRICTION, VIEW_USER, VIEW_ROLE};
    private static final ActionType[] DB_ADMIN = {ANALYZE, BYPASS_DOCUMENT_VALIDATION, COLL_MOD, COLL_STATS, COMPACT,
        CONVERT_TO_CAPPED, CREATE_COLLECTION, DB_STATS, DROP_COLLECTION, DROP_DATABASE, DROP_INDEX, DROP_SEARCH_INDEX,
        CREATE_INDEX, CREATE_SEARCH_INDEXES, ENABLE_PROFILER, LIST_COLLECTIONS, LIST_INDEXES, LIST_SEARCH_INDEXES,
        UPDATE_SEARCH_INDEX, PLAN_CACHE_INDEX_FILTER, PLAN_CACHE_READ, PLAN_CACHE_WRITE, RE_INDEX,
        RENAME_COLLECTION_SAME_DB, STORAGE_DETAILS, VALIDATE, CONFIGURE_QUERY_ANALYZER};
    private static final ActionType[] PROFILE = plus(READ, CONVERT_TO_CAPPED, CREATE_COLLECTION, DROP_COLLECTION);
    private static final ActionType[] CLUSTER_MONITOR = {CONN_POOL_STATS, GET_CMD_LINE_OPTS, GET_DEFAULT_RW_CONCERN,
        GET_LOG, GET_PARAMETER, GET_SHARD_MAP, HOST_INFO, LIST_DATABASES, LIST_SAMPLED_QUERIES, LIST_SESSIONS,
        LIST_SHARDS, NETSTAT, OPERATION_METRICS, REPL_SET_GET_CONFIG, REPL_SET_GET_STATUS, SERVER_STATUS, TOP,
        USE_UUID, INPROG, SHARDING_STATE, ALL_COLLECTION_STATS, SHARDED_DATA_DISTRIBUTION};
    private static final ActionType[] CLUSTER_MONITOR_DB = {COLL_STATS, DB_STATS, GET_DATABASE_VERSION,
        GET_SHARD_VERSION, INDEX_STATS};
    private static final ActionType[] HOST_MANAGER = {APPLICATION_MESSAGE, AUDIT_CONFIGURE, CONN_POOL_SYNC,
        DROP_CONNECTIONS, LOG_ROTATE, OID_RESET, SET_PARAMETER, SHUTDOWN, TOUCH, UNLOCK, FLUSH_ROUTER_CONFIG, FSYNC,
        INVALIDATE_USER_CACHE, KILL_ANY_CURSOR, KILL_ANY_SESSION, KILLOP, REPL_SET_RESIZE_OPLOG, RESYNC,
        TRAFFIC_RECORD, ROTATE_CERTIFICATES, OIDC_LIST_KEYS, OIDC_REFRESH_KEYS};
    private static final ActionType[] CLUSTER_MANAGER = {APPEND_OPLOG_NOTE, APPLICATION_MESSAGE, REPL_SET_CONFIGURE,
        REPL_SET_GET_CONFIG, REPL_SET_GET_STATUS, REPL_SET_STATE_CHANGE, RESYNC, ADD_SHARD, REMOVE_SHARD,
        LIST_SESSIONS, LIST_SHARDS, FLUSH_ROUTER_CONFIG, CLEANUP_ORPHANED, GET_DEFAULT_RW_CONCERN,
        RUN_TENANT_MIGRATION, SET_DEFAULT_RW_CONCERN, SET_FEATURE_COMPATIBILITY_VERSION, SET_CLUSTER_PARAMETER,
        GET_CLUSTER_PARAMETER, SET_CHANGE_STREAM_STATE, GET_CHANGE_STREAM_STATE, QUERY_SETTINGS, QUERY_STATS_READ,
        QUERY_STATS_READ_TRANSFORMED, CHECK_METADATA_CONSISTENCY, TRANSITION_FROM_DEDICATED_CONFIG_SERVER,
        TRANSITION_TO_DEDICATED_CONFIG_SERVER};
    private static final ActionType[] CLUSTER_MANAGER_DB = {ANALYZE_SHARD_KEY, CONFIGURE_QUERY_ANALYZER,
        CLEAR_JUMBO_FLAG, SPLIT_CHUNK, MOVE_CHUNK, MOVE_COLLECTION, ENABLE_SHARDING, SPLIT_VECTOR,
        REFINE_COLLECTION_SHARD_KEY, RESHARD_COLLECTION};
    private static final ActionType[] WRITE = {INSERT, UPDATE, REMOVE};
    private static final ActionType[] RESTORE_WRITE = {BYPASS_DOCUMENT_VALIDATION, COLL_MOD, CONVERT_TO_CAPPED,
        CREATE_COLLECTION, CREATE_INDEX, CREATE_SEARCH_INDEXES, DROP_COLLECTION, INSERT, UPDATE_SEARCH_INDEX};
    private static final ActionType[] READ_AND_INDEX = plus(READ, CREATE_INDEX, CREATE_SEARCH_INDEXES, DROP_INDEX,
            DROP_SEARCH_INDEX);

    private BuiltinRoles() {
    }

    /** Whether {@code name} is a built-in role (in its database). */
    public static boolean isBuiltin(RoleName name) {
        return EVERY_DB.contains(name.role()) || (ADMIN.equals(name.db()) && ADMIN_ONLY.contains(name.role()));
    }

    /** The built-in roles of database {@code db}, as {@code rolesInfo} with {@code showBuiltinRoles} lists them. */
    public static List<RoleName> rolesOf(String db) {
        List<RoleName> roles = new ArrayList<>();
        EVERY_DB.stream().sorted().forEach(role -> roles.add(new RoleName(role, db)));
        if (ADMIN.equals(db)) {
            ADMIN_ONLY.stream().filter(role -> !role.startsWith("__")).sorted()
                    .forEach(role -> roles.add(new RoleName(role, db)));
        }
        return roles;
    }

    /** The definition of built-in role {@code name}, empty when it is not one. */
    public static Optional<RoleDefinition> find(RoleName name) {
        if (!isBuiltin(name)) {
            return Optional.empty();
        }
        String db = name.db();
        List<Privilege> p = new ArrayList<>();
        List<RoleName> roles = new ArrayList<>();
        switch (name.role()) {
            case "read":
                p.add(onDb(db, READ));
                p.add(onNs(db, "system.js", READ));
                break;
            case "readWrite":
                p.add(onDb(db, READ_WRITE));
                p.add(onNs(db, "system.js", READ_WRITE));
                break;
            case "userAdmin":
                p.add(onDb(db, USER_ADMIN));
                break;
            case "dbAdmin":
                p.add(onDb(db, DB_ADMIN));
                p.add(onNs(db, "system.profile", PROFILE));
                break;
            case "dbOwner":
                roles.add(new RoleName("readWrite", db));
                roles.add(new RoleName("dbAdmin", db));
                roles.add(new RoleName("userAdmin", db));
                break;
            case "enableSharding":
                p.add(on(Resource.anyNormal(), ANALYZE_SHARD_KEY, ENABLE_SHARDING, MOVE_COLLECTION,
                        REFINE_COLLECTION_SHARD_KEY, RESHARD_COLLECTION));
                break;
            case "readAnyDatabase":
                p.add(on(Resource.anyNormal(), READ));
                p.add(on(Resource.cluster(), LIST_DATABASES));
                p.add(on(Resource.collectionInAnyDatabase("system.js"), READ));
                break;
            case "readWriteAnyDatabase":
                roles.add(admin("readAnyDatabase"));
                p.add(on(Resource.anyNormal(), READ_WRITE));
                p.add(on(Resource.collectionInAnyDatabase("system.js"), READ_WRITE));
                break;
            case "userAdminAnyDatabase":
                p.add(on(Resource.anyNormal(), plus(USER_ADMIN, LIST_CACHED_AND_ACTIVE_USERS)));
                p.add(onDb("local", USER_ADMIN));
                p.add(onDb("config", USER_ADMIN));
                p.add(on(Resource.cluster(), LIST_DATABASES, AUTH_SCHEMA_UPGRADE, INVALIDATE_USER_CACHE, VIEW_USER));
                p.add(onNs(ADMIN, "system.users", READ_AND_INDEX));
                p.add(onNs(ADMIN, "system.roles", READ_AND_INDEX));
                p.add(on(Resource.collectionInAnyDatabase("system.users"), READ));
                p.add(onNs(ADMIN, "system.version", READ));
                p.add(onNs(ADMIN, "system.backup_users", READ));
                break;
            case "dbAdminAnyDatabase":
                p.add(on(Resource.cluster(), LIST_DATABASES, APPLY_OPS));
                p.add(on(Resource.anyNormal(), DB_ADMIN));
                p.add(on(Resource.collectionInAnyDatabase("system.profile"), PROFILE));
                break;
            case "clusterMonitor":
                roles.add(new RoleName("read", "config"));
                roles.add(new RoleName("read", "local"));
                p.add(on(Resource.cluster(), CLUSTER_MONITOR));
                p.add(on(Resource.anyNormal(), CLUSTER_MONITOR_DB));
                p.add(onDb("config", CLUSTER_MONITOR_DB));
                p.add(onNs("config", "system.sessions", CLUSTER_MONITOR_DB));
                p.add(onDb("local", CLUSTER_MONITOR_DB));
                p.add(onNs("local", "system.replset", FIND));
                p.add(onNs("local", "replset.election", FIND));
                p.add(onNs("local", "replset.minvalid", FIND));
                p.add(on(Resource.collectionInAnyDatabase("system.profile"), FIND));
                break;
            case "hostManager":
                p.add(on(Resource.cluster(), HOST_MANAGER));
                p.add(on(Resource.anyNormal(), KILL_CURSORS));
                break;
            case "clusterManager":
                roles.add(new RoleName("read", "config"));
                p.add(on(Resource.cluster(), CLUSTER_MANAGER));
                p.add(on(Resource.anyNormal(), CLUSTER_MANAGER_DB));
                p.add(onDb("config", plus(CLUSTER_MANAGER_DB, WRITE)));
                p.add(onDb("local", plus(CLUSTER_MANAGER_DB, WRITE)));
                p.add(onNs("local", "system.replset", READ));
                p.add(on(Resource.anyResource(), DB_CHECK));
                p.add(onNs("local", "system.healthlog", READ));
                p.add(onNs("local", "replset.election", WRITE));
                p.add(onNs("local", "replset.minvalid", WRITE));
                break;
            case "clusterAdmin":
                roles.add(admin("clusterMonitor"));
                roles.add(admin("hostManager"));
                roles.add(admin("clusterManager"));
                p.add(on(Resource.anyNormal(), DROP_DATABASE));
                p.add(on(Resource.anyResource(), IMPORT_COLLECTION, EXPORT_COLLECTION));
                break;
            case "__queryableBackup":
                p.add(on(Resource.anyResource(), COLL_STATS, LIST_COLLECTIONS, LIST_INDEXES, LIST_SEARCH_INDEXES));
                p.add(on(Resource.anyNormal(), FIND));
                p.add(on(Resource.cluster(), GET_PARAMETER, LIST_DATABASES, USE_UUID));
                p.add(onDb("config", FIND));
                p.add(onDb("local", FIND));
                p.add(onNs("local", "replset.election", FIND));
                p.add(onNs("local", "replset.minvalid", FIND));
                p.add(on(Resource.collectionInAnyDatabase("system.js"), FIND));
                p.add(on(Resource.collectionInAnyDatabase("system.users"), FIND));
                p.add(on(Resource.collectionInAnyDatabase("system.profile"), FIND));
                p.add(onNs(ADMIN, "system.backup_users", FIND));
                p.add(onNs(ADMIN, "system.roles", FIND));
                p.add(onNs(ADMIN, "system.version", FIND));
                p.add(onNs("config", "settings", FIND));
                break;
            case "backup":
                roles.add(admin("__queryableBackup"));
                p.add(on(Resource.cluster(), APPEND_OPLOG_NOTE, SERVER_STATUS, SET_USER_WRITE_BLOCK_MODE));
                p.add(onNs("config", "settings", INSERT, UPDATE));
                break;
            case "restore":
                p.add(on(Resource.cluster(), GET_PARAMETER, FORCE_UUID, USE_UUID, BYPASS_WRITE_BLOCKING_MODE,
                        SET_USER_WRITE_BLOCK_MODE, APPLY_OPS));
                p.add(onDb("local", RESTORE_WRITE));
                p.add(onDb("config", RESTORE_WRITE));
                p.add(onNs("local", "system.replset", RESTORE_WRITE));
                p.add(onNs("local", "replset.election", RESTORE_WRITE));
                p.add(onNs("local", "replset.minvalid", RESTORE_WRITE));
                p.add(on(Resource.anyResource(), LIST_COLLECTIONS));
                p.add(on(Resource.anyNormal(), plus(RESTORE_WRITE, USER_ADMIN)));
                p.add(on(Resource.collectionInAnyDatabase("system.js"), RESTORE_WRITE));
                p.add(onNs(ADMIN, "tempusers", FIND));
                p.add(onNs(ADMIN, "temproles", FIND));
                p.add(onNs(ADMIN, "system.backup_users", RESTORE_WRITE));
                p.add(onNs(ADMIN, "system.version", plus(RESTORE_WRITE, FIND)));
                p.add(on(Resource.collectionInAnyDatabase("system.users"), plus(RESTORE_WRITE, FIND, UPDATE, REMOVE)));
                p.add(onNs(ADMIN, "system.roles", CREATE_INDEX));
                break;
            case "directShardOperations":
                p.add(on(Resource.cluster(), ISSUE_DIRECT_SHARD_OPERATIONS));
                break;
            case "root":
                for (String inherited : List.of("clusterAdmin", "userAdminAnyDatabase", "dbAdminAnyDatabase",
                        "readWriteAnyDatabase", "backup", "restore", "directShardOperations")) {
                    roles.add(admin(inherited));
                }
                p.add(on(Resource.anyResource(), VALIDATE));
                p.add(on(Resource.cluster(), USE_TENANT));
                p.add(onNs("config", "system.preimages", FIND, REMOVE));
                p.add(onNs("config", "system.change_collection", FIND, INSERT, REMOVE, UPDATE));
                break;
            case "__system":
                p.add(on(Resource.anyResource(), ANY_ACTION));
                break;
            default:
                throw new IllegalStateException("built-in role without a definition: " + name);
        }
        return Optional.of(new RoleDefinition(name, p, roles));
    }

    private static RoleName admin(String role) {
        return new RoleName(role, ADMIN);
    }

    private static Privilege on(Resource resource, ActionType... actions) {
        return new Privilege(resource, EnumSet.copyOf(Arrays.asList(actions)));
    }

    private static Privilege onDb(String db, ActionType... actions) {
        return on(Resource.database(db), actions);
    }

    private static Privilege onNs(String db, String collection, ActionType... actions) {
        return on(Resource.namespace(db, collection), actions);
    }

    private static ActionType[] plus(ActionType[] base, ActionType... more) {
        ActionType[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
