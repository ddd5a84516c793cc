package dev.sluice.server.route;

import dev.sluice.server.wire.CommandBody;
import io.netty.buffer.ByteBuf;
import org.bson.BsonDocument;

/**
 * One client operation to forward upstream. Not final: a client session's forwarded request is also what its reply
 * needs and the operation's callback, one object per operation.
 */
public class ForwardRequest {
    private final ByteBuf frame;
    private final CommandBody command;
    private final boolean moreToCome;
    private final Object owner;
    private final Object caller;
    private final CommandFacts facts;

    /**
     * @param frame       the OP_MSG frame to send, uncompressed; ownership passes to the router
     * @param command     the command document, for the routing decisions the facts do not cover (not re-encoded),
     *                    decoded only when one needs it
     * @param moreToCome  the client expects no reply (unacknowledged write)
     * @param owner       the client connection on whose behalf it runs (for cursor/transaction ownership)
     * @param caller      the event loop the request runs on (it borrows from that loop's lane), or null
     * @param facts       the routing fields of the body, read once: among them the command's name (the body's first
     *                    key) and its {@code $db}, which must be there
     */
    public ForwardRequest(ByteBuf frame, CommandBody command, boolean moreToCome, Object owner, Object caller,
                          CommandFacts facts) {
        if (facts.database() == null) {
            throw new IllegalArgumentException("facts.database: null (expected: the command's $db)");
        }
        this.frame = frame;
        this.command = command;
        this.moreToCome = moreToCome;
        this.owner = owner;
        this.caller = caller;
        this.facts = facts;
    }

    public ByteBuf frame() {
        return frame;
    }

    /** The command's name: the first key of its body. */
    public String commandName() {
        return facts.name();
    }

    /** The command's {@code $db}. */
    public String database() {
        return facts.database();
    }

    public CommandBody command() {
        return command;
    }

    public boolean moreToCome() {
        return moreToCome;
    }

    public Object owner() {
        return owner;
    }

    public Object caller() {
        return caller;
    }

    public CommandFacts facts() {
        return facts;
    }

    /** The command document (decoded on the first call when the request came as OP_MSG). */
    public BsonDocument body() {
        return command.document();
    }

    @Override
    public String toString() {
        return "ForwardRequest[" + commandName() + " on " + database() + (moreToCome ? ", moreToCome" : "") + "]";
    }
}
