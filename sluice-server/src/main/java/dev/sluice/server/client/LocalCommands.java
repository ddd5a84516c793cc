package dev.sluice.server.client;

import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.wire.CommandBody;
import org.bson.BsonDocument;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Commands Sluice answers itself (the admin commands), kept behind an interface for the session.
 * They may run on another thread: the session stays busy (later pipelined requests wait) until the
 * reply comes back, then writes it on its event loop.
 */
public interface LocalCommands {
    /** A reply, and what to do once it has been written (e.g. kill the caller's own connection). */
    record Reply(BsonDocument document, Runnable afterReply) {
    }

    LocalCommands NONE = new LocalCommands() {
        @Override
        public boolean handles(String commandName, CommandBody command, String database) {
            return false;
        }

        @Override
        public CompletionStage<Reply> execute(String commandName, BsonDocument command, String database,
                                              ConnectionEntry caller) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException(commandName));
        }
    };

    /**
     * Whether Sluice answers this command itself. The body and {@code $db} matter: a getMore is local
     * only for listConnections' cursors ({@code collection: "$cmd.listConnections"} on admin). Decode the
     * body only for the names that need it: most commands are forwarded without it.
     */
    boolean handles(String commandName, CommandBody command, String database);

    /**
     * Runs the command, on any thread; the stage completes with its reply (an error reply for bad
     * input). {@code command} must not depend on a buffer the session releases.
     */
    CompletionStage<Reply> execute(String commandName, BsonDocument command, String database, ConnectionEntry caller);
}
