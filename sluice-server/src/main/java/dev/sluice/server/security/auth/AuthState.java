package dev.sluice.server.security.auth;

import dev.sluice.server.security.scram.ScramServerConversation;

/**
 * One client connection's SASL conversation in progress (at most one at a time). Used only on the
 * connection's event loop.
 */
public final class AuthState {
    private ScramServerConversation conversation;
    private String database;
    private int conversationId;

    ScramServerConversation conversation() {
        return conversation;
    }

    String database() {
        return database;
    }

    int conversationId() {
        return conversationId;
    }

    void begin(ScramServerConversation conversation, String database) {
        this.conversation = conversation;
        this.database = database;
        this.conversationId++;
    }

    void end() {
        conversation = null;
        database = null;
    }
}
