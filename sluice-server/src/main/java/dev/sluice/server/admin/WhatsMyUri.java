package dev.sluice.server.admin;

import dev.sluice.server.registry.ConnectionEntry;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonString;

/**
 * mongod's {@code whatsmyuri}: the address the client connects from, as the server sees it. Answered by Sluice (the
 * server the client talks to); forwarded, it would give the address of Sluice's pooled connection.
 */
public final class WhatsMyUri {
    public static final String NAME = "whatsmyuri";

    private WhatsMyUri() {
    }

    public static BsonDocument reply(ConnectionEntry caller) {
        return new BsonDocument("you", new BsonString(caller.clientAddress())).append("ok", new BsonDouble(1));
    }
}
