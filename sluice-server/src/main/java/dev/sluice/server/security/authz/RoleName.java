package dev.sluice.server.security.authz;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.Objects;

/**
 * A role, by name and the database that defines it ({@code {role: "read", db: "test"}}).
 */
public record RoleName(String role, String db) {

    public RoleName {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(db, "db");
        if (role.isEmpty() || db.isEmpty()) {
            throw new IllegalArgumentException("role name {role: \"" + role + "\", db: \"" + db
                    + "\"} (expected: non-empty role and db)");
        }
    }

    public BsonDocument toBson() {
        return new BsonDocument("role", new BsonString(role)).append("db", new BsonString(db));
    }

    /**
     * Reads a role as commands take it: a string (a role of {@code defaultDb}) or {@code {role, db}}.
     *
     * @throws IllegalArgumentException for any other shape
     */
    public static RoleName fromBson(BsonValue value, String defaultDb) {
        if (value.isString()) {
            return new RoleName(value.asString().getValue(), defaultDb);
        }
        if (value.isDocument()) {
            BsonValue role = value.asDocument().get("role");
            BsonValue db = value.asDocument().get("db");
            if (role != null && role.isString() && db != null && db.isString()) {
                return new RoleName(role.asString().getValue(), db.asString().getValue());
            }
        }
        throw new IllegalArgumentException("role " + describe(value)
                + " (expected: a role name string or {role: <string>, db: <string>})");
    }

    private static String describe(BsonValue value) {
        return value.isDocument() ? value.asDocument().toJson() : value.getBsonType().toString();
    }

    @Override
    public String toString() {
        return role + "@" + db;
    }
}
