package dev.sluice.server.client;

import dev.sluice.server.security.authz.ActionType;
import dev.sluice.server.security.authz.PrivilegeSet;
import dev.sluice.server.security.authz.Resource;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.List;

/**
 * mongod's {@code listCollections} with {@code authorizedCollections: true, nameOnly: true} from a user without the
 * {@code listCollections} action on the database: only the collections the user holds some privilege on. Upstream
 * the command runs as Sluice's service user, which sees them all, so Sluice narrows the request's {@code filter} to
 * those names (a cursor's later batches then need nothing more): the names of the user's namespace and
 * collection-name privileges, and every collection but {@code system.*} when it holds a database-wide one. The
 * reply's first batch is filtered too, for a backend that ignores the filter (the embedded one does).
 */
final class AuthorizedCollections {
    static final String COMMAND = "listCollections";

    private AuthorizedCollections() {
    }

    /** Whether the request needs narrowing for a caller with these privileges. */
    static boolean narrows(BsonDocument body, PrivilegeSet privileges, String db) {
        BsonValue filter = body.get("filter");
        return isTrue(body.get("authorizedCollections")) && isTrue(body.get("nameOnly"))
                && (filter == null || filter.isDocument()) // else upstream refuses it, as mongod
                && !privileges.isAuthorized(Resource.database(db), ActionType.LIST_COLLECTIONS)
                && !privileges.visibleCollections(db).all();
    }

    /** The request frame with its filter narrowed to what the caller may see; {@code frame} is released. */
    static ByteBuf narrow(ByteBuf frame, OpMsg msg, PrivilegeSet privileges, String db, ByteBufAllocator alloc) {
        try {
            PrivilegeSet.VisibleCollections visible = privileges.visibleCollections(db);
            List<BsonValue> anyOf = new ArrayList<>(2);
            BsonArray names = new BsonArray();
            visible.names().stream().sorted().forEach(n -> names.add(new BsonString(n)));
            anyOf.add(new BsonDocument("name", new BsonDocument("$in", names)));
            if (visible.normal()) {
                anyOf.add(new BsonDocument("name", new BsonDocument("$not",
                        new BsonRegularExpression("^system\\."))));
            }
            BsonDocument ours = new BsonDocument("$or", new BsonArray(anyOf));
            BsonDocument body = new BsonDocument();
            boolean placed = false;
            for (var field : msg.body().entrySet()) {
                if (field.getKey().equals("filter")) {
                    BsonValue theirs = field.getValue();
                    body.append("filter", theirs.isDocument() && !theirs.asDocument().isEmpty()
                            ? new BsonDocument("$and", new BsonArray(List.of(theirs, ours))) : ours);
                    placed = true;
                } else {
                    body.append(field.getKey(), field.getValue());
                }
            }
            if (!placed) {
                body.append("filter", ours);
            }
            return OpMsg.encode(alloc, msg.requestId(), msg.responseTo(), msg.flags() & ~OpMsg.CHECKSUM_PRESENT, body,
                    msg.sequences());
        } finally {
            frame.release();
        }
    }

    /**
     * The reply with only the collections the caller may see in its first batch; the reply itself (released here
     * when replaced) when it is not a successful listCollections reply or hides nothing.
     */
    static ByteBuf filterReply(ByteBuf reply, PrivilegeSet privileges, String db, ByteBufAllocator alloc) {
        OpMsg msg;
        try {
            msg = OpMsg.parse(reply);
        } catch (dev.sluice.server.wire.WireProtocolException e) {
            return reply;
        }
        BsonValue cursor = msg.body().get("cursor");
        BsonValue batch = cursor != null && cursor.isDocument() ? cursor.asDocument().get("firstBatch") : null;
        if (batch == null || !batch.isArray()) {
            return reply;
        }
        PrivilegeSet.VisibleCollections visible = privileges.visibleCollections(db);
        BsonArray kept = new BsonArray();
        for (BsonValue entry : batch.asArray()) {
            BsonValue name = entry.isDocument() ? entry.asDocument().get("name") : null;
            if (name != null && name.isString() && visible.shows(name.asString().getValue())) {
                kept.add(entry);
            }
        }
        if (kept.size() == batch.asArray().size()) {
            return reply;
        }
        BsonDocument body = new BsonDocument(); // the reply's own documents are immutable
        for (var field : msg.body().entrySet()) {
            if (field.getKey().equals("cursor")) {
                BsonDocument copy = new BsonDocument();
                for (var c : cursor.asDocument().entrySet()) {
                    copy.append(c.getKey(), c.getKey().equals("firstBatch") ? kept : c.getValue());
                }
                body.append("cursor", copy);
            } else {
                body.append(field.getKey(), field.getValue());
            }
        }
        ByteBuf out = OpMsg.encode(alloc, msg.requestId(), msg.responseTo(), msg.flags() & ~OpMsg.CHECKSUM_PRESENT,
                body);
        reply.release();
        return out;
    }

    private static boolean isTrue(BsonValue value) {
        return value != null && (value.isBoolean() ? value.asBoolean().getValue()
                : value.isNumber() && value.asNumber().doubleValue() != 0);
    }
}
