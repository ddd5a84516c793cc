package dev.sluice.server.security.authz;

import java.util.Objects;

/** A user, by name and authentication database ({@code user@db} in mongod's messages). */
public record UserName(String user, String db) {

    public UserName {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(db, "db");
        if (user.isEmpty() || db.isEmpty()) {
            throw new IllegalArgumentException("user name {user: \"" + user + "\", db: \"" + db
                    + "\"} (expected: non-empty user and db)");
        }
    }

    @Override
    public String toString() {
        return user + "@" + db;
    }
}
