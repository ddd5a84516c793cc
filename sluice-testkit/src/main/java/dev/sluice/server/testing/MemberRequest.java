package dev.sluice.server.testing;

import dev.sluice.server.wire.DocumentSequence;
import dev.sluice.server.wire.OpMsg;
import dev.sluice.server.wire.OpQuery;
import dev.sluice.server.wire.OpReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.List;
import java.util.Set;

/**
 * A command as a simulated member sees it, from an OP_MSG or a legacy OP_QUERY, and how to frame its reply.
 *
 * @param legacy      it came as OP_QUERY: answer with OP_REPLY
 * @param secondaryOk a secondary may serve it (OP_QUERY secondaryOk bit, or a non-primary $readPreference)
 */
record MemberRequest(int requestId, boolean legacy, int flags, String name, String database, BsonDocument command,
        List<DocumentSequence> sequences, boolean secondaryOk) {

    /** Fields mongo-java-server does not need (sessions, gossip, read preference): dropped before forwarding. */
    private static final Set<String> STRIPPED = Set.of("lsid", "txnNumber", "$clusterTime", "$readPreference",
            "readConcern", "autocommit", "startTransaction", "apiVersion", "apiStrict", "apiDeprecationErrors");

    static MemberRequest of(OpMsg msg) {
        return new MemberRequest(msg.requestId(), false, msg.flags(), msg.commandName(), msg.database(), msg.body(),
                msg.sequences(), nonPrimary(msg.body().get("$readPreference")));
    }

    static MemberRequest of(OpQuery query) {
        BsonDocument readPreference = query.readPreference();
        return new MemberRequest(query.requestId(), true, query.flags(), query.commandName(), query.database(),
                query.commandDocument(), List.of(), query.isSecondaryOk() || nonPrimary(readPreference));
    }

    private static boolean nonPrimary(BsonValue readPreference) {
        if (readPreference == null || !readPreference.isDocument()) {
            return false;
        }
        BsonValue mode = readPreference.asDocument().get("mode");
        return mode != null && mode.isString() && !mode.asString().getValue().equals("primary");
    }

    boolean exhaustAllowed() {
        return !legacy && (flags & OpMsg.EXHAUST_ALLOWED) != 0;
    }

    /** The client wants no reply (an unacknowledged write). */
    boolean moreToCome() {
        return !legacy && (flags & OpMsg.MORE_TO_COME) != 0;
    }

    /** A retryable write: a txnNumber outside a transaction. */
    boolean retryableWrite() {
        return command.containsKey("txnNumber") && !command.containsKey("autocommit");
    }

    /** The session id (lsid.id), or null. */
    BsonValue sessionId() {
        BsonValue lsid = command.get("lsid");
        return lsid != null && lsid.isDocument() ? lsid.asDocument().get("id") : null;
    }

    long txnNumber() {
        return command.getNumber("txnNumber").longValue();
    }

    /** The application name the connection's handshake gave ({@code client.application.name}), or null. */
    String applicationName() {
        BsonValue client = command.get("client");
        if (client == null || !client.isDocument() || !client.asDocument().isDocument("application")) {
            return null;
        }
        BsonValue name = client.asDocument().getDocument("application").get("name");
        return name != null && name.isString() ? name.asString().getValue() : null;
    }

    /** The body to forward to the shared store. */
    BsonDocument forwardedBody() {
        BsonDocument body = new BsonDocument();
        for (var entry : command.entrySet()) {
            if (!STRIPPED.contains(entry.getKey())) {
                body.append(entry.getKey(), entry.getValue());
            }
        }
        if (!body.containsKey("$db") && database != null) {
            body.append("$db", new org.bson.BsonString(database));
        }
        return body;
    }

    /** Frames {@code body} as the reply to this request. The caller owns the result. */
    ByteBuf reply(ByteBufAllocator alloc, int replyId, int responseTo, BsonDocument body, boolean moreToCome) {
        if (legacy) {
            return OpReply.encode(alloc, replyId, responseTo, OpReply.AWAIT_CAPABLE, 0L, 0, List.of(body));
        }
        return OpMsg.encode(alloc, replyId, responseTo, moreToCome ? OpMsg.MORE_TO_COME : 0, body);
    }
}
