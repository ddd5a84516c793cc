package dev.sluice.server.route;

import io.netty.buffer.ByteBuf;
import org.bson.BsonDocument;

/**
 * One client operation to forward upstream.
 *
 * @param frame       the OP_MSG frame to send, uncompressed; ownership passes to the router
 * @param commandName the command's name (first key of the body)
 * @param database    the {@code $db} of the command
 * @param body        the command document, for routing decisions (not re-encoded)
 * @param moreToCome  the client expects no reply (unacknowledged write)
 * @param owner       the client connection on whose behalf it runs (for cursor/transaction ownership)
 * @param caller      the event loop the request runs on (it borrows from that loop's lane), or null
 * @param facts       the routing fields of the body, read once
 */
public record ForwardRequest(ByteBuf frame, String commandName, String database, BsonDocument body,
                             boolean moreToCome, Object owner, Object caller, CommandFacts facts) {
}
