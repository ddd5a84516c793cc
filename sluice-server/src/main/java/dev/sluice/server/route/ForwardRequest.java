package dev.sluice.server.route;

import dev.sluice.server.wire.CommandBody;
import io.netty.buffer.ByteBuf;
import org.bson.BsonDocument;

/**
 * One client operation to forward upstream.
 *
 * @param frame       the OP_MSG frame to send, uncompressed; ownership passes to the router
 * @param commandName the command's name (first key of the body)
 * @param database    the {@code $db} of the command
 * @param command     the command document, for the routing decisions the facts do not cover (not re-encoded),
 *                    decoded only when one needs it
 * @param moreToCome  the client expects no reply (unacknowledged write)
 * @param owner       the client connection on whose behalf it runs (for cursor/transaction ownership)
 * @param caller      the event loop the request runs on (it borrows from that loop's lane), or null
 * @param facts       the routing fields of the body, read once
 */
public record ForwardRequest(ByteBuf frame, String commandName, String database, CommandBody command,
                             boolean moreToCome, Object owner, Object caller, CommandFacts facts) {

    /** The command document (decoded on the first call when the request came as OP_MSG). */
    public BsonDocument body() {
        return command.document();
    }
}
