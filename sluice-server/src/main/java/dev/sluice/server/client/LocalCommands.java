package dev.sluice.server.client;

import dev.sluice.server.registry.ConnectionEntry;
import org.bson.BsonDocument;

/** Commands Sluice answers itself (the admin commands), kept behind an interface for the session. */
public interface LocalCommands {
    /** A reply, and what to do once it has been written (e.g. kill the caller's own connection). */
    record Reply(BsonDocument document, Runnable afterReply) {
    }

    LocalCommands NONE = new LocalCommands() {
        @Override
        public boolean handles(String commandName) {
            return false;
        }

        @Override
        public Reply execute(String commandName, BsonDocument command, String database, ConnectionEntry caller) {
            throw new UnsupportedOperationException(commandName);
        }
    };

    boolean handles(String commandName);

    Reply execute(String commandName, BsonDocument command, String database, ConnectionEntry caller);
}
