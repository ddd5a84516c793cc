package dev.sluice.server.upstream;

import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.bson.BsonDocument;
import org.bson.BsonString;

import java.util.concurrent.CompletableFuture;

/** One command on a backend connection during its handshake (authentication steps), answered with the reply body. */
final class BackendCommand {
    private BackendCommand() {
    }

    /**
     * Sends {@code command} to database {@code db} (its {@code db} field, if any, becomes {@code $db}); completes with
     * the reply's body, or fails with an {@link UpstreamException} (the connection's, or PROTOCOL_ERROR for a reply
     * that does not parse).
     */
    static CompletableFuture<BsonDocument> run(BackendConnection connection, ByteBufAllocator alloc,
                                               BsonDocument command, String db, String name) {
        CompletableFuture<BsonDocument> result = new CompletableFuture<>();
        command.remove("db");
        command.append("$db", new BsonString(db));
        ByteBuf frame = OpMsg.encode(alloc, BackendConnection.nextRequestId(), 0, 0, command);
        connection.send(frame, name, new ReplyListener() {
            @Override
            public void onReply(ByteBuf reply, boolean moreToCome) {
                try {
                    result.complete(OpMsg.parse(reply).body());
                } catch (RuntimeException e) {
                    result.completeExceptionally(new UpstreamException(UpstreamException.Kind.PROTOCOL_ERROR,
                            connection.host(), "invalid " + name + " reply from " + connection.host() + ": "
                            + e.getMessage(), e));
                } finally {
                    reply.release();
                }
            }

            @Override
            public void onFailure(UpstreamException cause) {
                result.completeExceptionally(cause);
            }
        }, null);
        return result;
    }
}
