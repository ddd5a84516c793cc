package dev.sluice.server.testing;

import org.bson.BsonDocument;

import java.util.Set;

/** What a command needs from the member it reaches, as mongod's {@code secondaryAllowed()} sorts them. */
enum CommandKind {
    /** hello / isMaster: answered by the member itself. */
    HANDSHAKE,
    /** configureFailPoint: sets the member's failCommand failpoint. */
    FAIL_POINT,
    /** Part of a multi-document transaction, which the simulator does not support. */
    TRANSACTION,
    /** Needs the primary (mongod: secondaryAllowed kNever). */
    WRITE,
    /** Served by secondaries when the client allows it (kOptIn). */
    READ,
    /** Served by any member (kAlways), forwarded to the shared store. */
    ANY;

    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findAndModify", "findandmodify",
            "create", "drop", "dropDatabase", "createIndexes", "dropIndexes", "renameCollection", "collMod",
            "convertToCapped", "bulkWrite");
    private static final Set<String> READS = Set.of("find", "aggregate", "count", "distinct", "listCollections",
            "listIndexes", "dbStats", "collStats", "dataSize", "mapReduce", "explain", "listDatabases", "dbHash");

    static CommandKind of(String name, BsonDocument command) {
        if (name == null) {
            return ANY;
        }
        switch (name) {
            case "hello", "isMaster", "ismaster" -> {
                return HANDSHAKE;
            }
            case "configureFailPoint" -> {
                return FAIL_POINT;
            }
            case "commitTransaction", "abortTransaction" -> {
                return TRANSACTION;
            }
            default -> {
                if (command.containsKey("autocommit") || command.containsKey("startTransaction")) {
                    return TRANSACTION;
                }
                return WRITES.contains(name) ? WRITE : READS.contains(name) ? READ : ANY;
            }
        }
    }
}
