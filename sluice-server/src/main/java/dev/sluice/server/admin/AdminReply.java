package dev.sluice.server.admin;

import org.bson.BsonDocument;

import java.util.Objects;

/**
 * The reply to an admin command and what to do once it has been flushed to the caller.
 *
 * @param reply      the command reply document ({@code ok: 1} or an error)
 * @param afterReply run by the session after the reply is written and flushed (e.g. closing the
 *                   caller's own killed connection); a no-op for most commands
 */
public record AdminReply(BsonDocument reply, Runnable afterReply) {
    private static final Runnable NOTHING = () -> { };

    public AdminReply {
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(afterReply, "afterReply");
    }

    static AdminReply of(BsonDocument reply) {
        return new AdminReply(reply, NOTHING);
    }
}
