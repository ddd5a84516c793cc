package dev.sluice.server.route;

import dev.sluice.server.topology.OperationKind;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.Set;

/**
 * Which operations may go where their read preference says: the commands that only read. Everything else (writes,
 * DDL, admin commands, aggregations with $out or $merge, transaction statements) goes to the primary, whatever
 * {@code $readPreference} the client sent, as mongos does.
 */
final class OperationClass {
    /** Commands that read and never write. */
    private static final Set<String> READS = Set.of("find", "count", "distinct", "listCollections", "listIndexes",
            "listDatabases", "dbStats", "dbstats", "collStats", "collstats", "dataSize", "datasize",
            "listSearchIndexes", "geoSearch", "mapreduce.shardedfinish");

    private OperationClass() {
    }

    /**
     * @param name    the command's name
     * @param command the command, decoded only for aggregate's pipeline and explain's inner command
     * @return READ for a command that only reads, WRITE (the primary) otherwise
     */
    static OperationKind of(String name, dev.sluice.server.wire.CommandBody command) {
        if (READS.contains(name)) {
            return OperationKind.READ;
        }
        if (!"aggregate".equals(name) && !"explain".equals(name)) {
            return OperationKind.WRITE; // known by name: the document is not decoded
        }
        return of(name, command.document());
    }

    /** As {@link #of(String, dev.sluice.server.wire.CommandBody)}, with the document at hand. */
    static OperationKind of(String name, BsonDocument body) {
        if (READS.contains(name)) {
            return OperationKind.READ;
        }
        if ("aggregate".equals(name)) {
            return writesOutput(body.get("pipeline")) ? OperationKind.WRITE : OperationKind.READ;
        }
        if ("explain".equals(name)) {
            BsonValue inner = body.get("explain");
            if (inner != null && inner.isDocument() && !inner.asDocument().isEmpty()) {
                String innerName = inner.asDocument().getFirstKey();
                return "explain".equals(innerName) ? OperationKind.WRITE : of(innerName, inner.asDocument());
            }
        }
        return OperationKind.WRITE;
    }

    /** An aggregation whose last stage is $out or $merge writes. */
    private static boolean writesOutput(BsonValue pipeline) {
        if (pipeline == null || !pipeline.isArray() || pipeline.asArray().isEmpty()) {
            return false;
        }
        BsonValue last = pipeline.asArray().get(pipeline.asArray().size() - 1);
        return last.isDocument() && (last.asDocument().containsKey("$out") || last.asDocument().containsKey("$merge"));
    }
}
