package dev.sluice.server.metrics;

import java.util.Set;

/**
 * The command names that get a latency series of their own; any other name is counted as
 * {@value #OTHER}, so a client sending made-up command names cannot grow the scrape.
 */
final class CommandNames {
    static final String OTHER = "other";

    private static final Set<String> KNOWN = Set.of(
            // CRUD and cursors
            "find", "insert", "update", "delete", "findAndModify", "findandmodify", "aggregate", "count", "distinct",
            "getMore", "killCursors", "bulkWrite", "explain", "mapReduce",
            // sessions and transactions
            "commitTransaction", "abortTransaction", "endSessions", "startSession", "refreshSessions",
            "killSessions", "killAllSessions",
            // collections, indexes, databases
            "create", "drop", "dropDatabase", "renameCollection", "collMod", "createIndexes", "dropIndexes",
            "listIndexes", "listCollections", "listDatabases", "dbStats", "collStats", "validate",
            // users and roles
            "createUser", "updateUser", "dropUser", "usersInfo", "createRole", "updateRole", "dropRole",
            "rolesInfo", "grantRolesToUser", "revokeRolesFromUser", "connectionStatus",
            // diagnostics and Sluice's own admin commands
            "buildInfo", "buildinfo", "getLog", "getParameter", "getCmdLineOpts", "hostInfo", "currentOp",
            "killOp", "serverStatus", "connPoolStats", "listConnections", "killConnection", "killConnections",
            "dropConnections", "getLastError", "getlasterror", "whatsmyuri", "listCommands", "ping");

    private CommandNames() {
    }

    /** The label for {@code name}: itself when known, else {@value #OTHER}. */
    static String label(String name) {
        return name != null && KNOWN.contains(name) ? name : OTHER;
    }
}
