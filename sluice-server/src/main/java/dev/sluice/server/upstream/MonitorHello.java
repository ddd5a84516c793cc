package dev.sluice.server.upstream;

import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** The hello commands of monitors after their handshake: a plain check, or an awaitable (streaming) one. */
final class MonitorHello {
    private MonitorHello() {
    }

    /**
     * Sends a check on an established monitoring connection.
     *
     * @param legacy          {@code isMaster} instead of {@code hello} (a server without hello)
     * @param topologyVersion for an awaitable hello: the last topologyVersion seen; null for a plain check
     * @param maxAwaitTimeMS  how long the server may hold an awaitable hello (heartbeatFrequencyMS)
     * @param onReply         each reply body and whether more are to come (streaming)
     * @param onFailure       a network error, timeout or an unreadable reply
     */
    static void send(BackendConnection connection, boolean legacy, BsonValue topologyVersion, long maxAwaitTimeMS,
                     BiConsumer<BsonDocument, Boolean> onReply, Consumer<UpstreamException> onFailure) {
        String command = legacy ? "isMaster" : "hello";
        BsonDocument doc = new BsonDocument(command, new BsonInt32(1));
        int flags = 0;
        if (topologyVersion != null) {
            doc.append("topologyVersion", topologyVersion).append("maxAwaitTimeMS", new BsonInt64(maxAwaitTimeMS));
            flags = OpMsg.EXHAUST_ALLOWED;
        }
        doc.append("$db", new BsonString("admin"));
        ByteBuf frame = OpMsg.encode(connection.alloc(), BackendConnection.nextRequestId(), 0, flags, doc);
        connection.send(frame, command, new ReplyListener() {
            @Override
            public void onReply(ByteBuf reply, boolean moreToCome) {
                BsonDocument body;
                try {
                    body = OpMsg.parse(reply).body();
                } catch (RuntimeException e) {
                    connection.close();
                    onFailure.accept(new UpstreamException(UpstreamException.Kind.PROTOCOL_ERROR, connection.host(),
                            "invalid hello reply from " + connection.host() + ": " + e.getMessage(), e));
                    return;
                } finally {
                    reply.release();
                }
                onReply.accept(body, moreToCome);
            }

            @Override
            public void onFailure(UpstreamException cause) {
                onFailure.accept(cause);
            }
        }, null);
    }
}
