package dev.sluice.server.route;

import dev.sluice.server.upstream.BackendConnection;
import dev.sluice.server.upstream.UpstreamException;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.RawBsonDocument;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Commands Sluice itself sends to its upstream (its user store, for instance), through the same
 * pools and routing as clients' operations. Each completes with the reply's body (a copy that owns
 * its bytes), or fails with the {@link UpstreamException}; an {@code ok: 0} reply is a reply.
 */
public final class InternalCommands {
    private final Router router;
    private final ByteBufAllocator alloc;
    private final long timeoutMS;

    /** @param timeoutMS a command without a reply within this fails (the pool's own timeouts apply too) */
    public InternalCommands(Router router, ByteBufAllocator alloc, long timeoutMS) {
        this.router = router;
        this.alloc = alloc;
        this.timeoutMS = timeoutMS;
    }

    /** Runs {@code command} against {@code database} upstream. */
    public CompletionStage<BsonDocument> run(String database, BsonDocument command) {
        BsonDocument body = command.clone();
        body.put("$db", new BsonString(database));
        ByteBuf frame = OpMsg.encode(alloc, BackendConnection.nextRequestId(), 0, 0, body);
        CompletableFuture<BsonDocument> result = new CompletableFuture<>();
        router.forward(new ForwardRequest(frame, dev.sluice.server.wire.CommandBody.of(body), false, this, null, CommandFacts.of(body)),
                new ForwardCallback() {
                    @Override
                    public void onReply(ByteBuf reply, boolean moreToCome) {
                        try {
                            RawBsonDocument view = OpMsg.parse(reply).body();
                            byte[] bytes = new byte[view.getByteBuffer().remaining()];
                            view.getByteBuffer().get(bytes);
                            result.complete(new RawBsonDocument(bytes));
                        } catch (RuntimeException e) {
                            result.completeExceptionally(e);
                        } finally {
                            reply.release();
                        }
                    }

                    @Override
                    public void onFailure(UpstreamException cause) {
                        result.completeExceptionally(cause);
                    }

                    @Override
                    public void onSent() {
                    }
                });
        return result.orTimeout(timeoutMS, TimeUnit.MILLISECONDS);
    }
}
