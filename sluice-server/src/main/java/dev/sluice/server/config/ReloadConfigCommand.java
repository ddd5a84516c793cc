package dev.sluice.server.config;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;

import java.util.function.Supplier;

/**
 * {@code {reloadConfig: 1}} on the admin database: re-reads the --config file (with the same flags) and applies
 * what may change at runtime; SIGHUP does the same. Replies {@code {ok: 1, changed: [...]}} or an error naming
 * what cannot change (code 2, BadValue), and nothing is applied then. Authorization (mongod's
 * {@code setParameter} action on the cluster) is the command gate's, before this runs.
 */
public final class ReloadConfigCommand {
    public static final String NAME = "reloadConfig";

    private ReloadConfigCommand() {
    }

    /** Runs {@code reload} and answers as mongod would. */
    public static BsonDocument execute(String database, Supplier<ConfigChanges> reload) {
        if (!"admin".equals(database)) {
            return error(13, "Unauthorized", NAME + " may only be run against the admin database.");
        }
        ConfigChanges changes;
        try {
            changes = reload.get();
        } catch (ConfigException e) {
            return error(2, "BadValue", e.getMessage());
        }
        BsonArray changed = new BsonArray();
        if (changes.maxPoolSize() != null) {
            changed.add(new BsonString("maxPoolSize=" + changes.maxPoolSize()));
        }
        if (changes.maxIncomingConnections() != null) {
            changed.add(new BsonString("maxIncomingConnections=" + changes.maxIncomingConnections()));
        }
        if (changes.connectionBudget() != null) {
            changed.add(new BsonString("fleet.connectionBudget=" + changes.connectionBudget()));
        }
        return new BsonDocument("changed", changed).append("ok", new BsonDouble(1));
    }

    private static BsonDocument error(int code, String codeName, String message) {
        return new BsonDocument("ok", new BsonDouble(0)).append("errmsg", new BsonString(message))
                .append("code", new BsonInt32(code)).append("codeName", new BsonString(codeName));
    }
}
