package dev.sluice.server.client;

import dev.sluice.server.security.authz.ActionType;
import dev.sluice.server.security.authz.CommandPrivileges;
import dev.sluice.server.security.authz.PrivilegeSet;
import dev.sluice.server.security.authz.Resource;
import dev.sluice.server.security.users.UserStorage;
import dev.sluice.server.wire.OpMsg;
import dev.sluice.server.wire.WireProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonValue;

/**
 * mongod's {@code listDatabases} for a user who may not list every database (no {@code listDatabases} action on the
 * cluster): only the databases on which the user has some privilege, and {@code totalSize} / {@code totalSizeMb} over
 * those. Upstream the command runs as Sluice's service user, which sees them all, so Sluice filters the reply, as
 * mongod does for a user of its own ({@link CommandPrivileges#canSeeDatabase}). Sluice's own database
 * ({@value UserStorage#RESERVED_DATABASE}: its users, roles and fleet), which no client may read or write, is left
 * out for every logged-in user.
 */
final class AuthorizedDatabases {
    static final String COMMAND = "listDatabases";
    private static final long MB = 1024 * 1024;

    private AuthorizedDatabases() {
    }

    /** Whether a caller with these privileges sees every database (but Sluice's own). */
    static boolean listsAll(PrivilegeSet privileges) {
        return privileges.isAuthorized(Resource.cluster(), ActionType.LIST_DATABASES);
    }

    /**
     * The reply with only the databases the caller may see; the reply itself (released here when replaced) when it
     * is not a successful listDatabases reply.
     */
    static ByteBuf filter(ByteBuf reply, PrivilegeSet privileges, ByteBufAllocator alloc) {
        OpMsg msg;
        try {
            msg = OpMsg.parse(reply);
        } catch (WireProtocolException e) {
            return reply; // not ours to judge: the client gets the reply as it came
        }
        BsonDocument body = msg.body();
        BsonValue databases = body.get("databases");
        if (databases == null || !databases.isArray()) {
            return reply;
        }
        boolean all = listsAll(privileges);
        BsonArray visible = new BsonArray();
        long totalSize = 0;
        for (BsonValue entry : databases.asArray()) {
            if (!entry.isDocument()) {
                continue;
            }
            BsonValue name = entry.asDocument().get("name");
            if (name != null && name.isString() && !UserStorage.RESERVED_DATABASE.equals(name.asString().getValue())
                    && (all || CommandPrivileges.canSeeDatabase(privileges, name.asString().getValue()))) {
                visible.add(entry);
                BsonValue size = entry.asDocument().get("sizeOnDisk");
                if (size != null && size.isNumber()) {
                    totalSize += size.asNumber().longValue();
                }
            }
        }
        if (visible.size() == databases.asArray().size()) {
            return reply;
        }
        BsonDocument filtered = new BsonDocument();
        for (var field : body.entrySet()) {
            switch (field.getKey()) {
                case "databases" -> filtered.append("databases", visible);
                case "totalSize" -> filtered.append("totalSize", new BsonInt64(totalSize));
                case "totalSizeMb" -> filtered.append("totalSizeMb", new BsonInt64(totalSize / MB));
                default -> filtered.append(field.getKey(), field.getValue());
            }
        }
        ByteBuf out = OpMsg.encode(alloc, msg.requestId(), msg.responseTo(), msg.flags() & ~OpMsg.CHECKSUM_PRESENT,
                filtered);
        reply.release();
        return out;
    }
}
