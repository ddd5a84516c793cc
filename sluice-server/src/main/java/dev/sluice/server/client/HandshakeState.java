package dev.sluice.server.client;

import dev.sluice.server.wire.Compressor;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.List;

/**
 * Per connection: whether the handshake happened and which compressors were negotiated. Immutable: the first
 * hello gives the next state, and a connection whose client asked for no compression (most) then shares
 * {@link #DONE_PLAIN}, so an idle client holds no object of its own for it.
 */
final class HandshakeState {
    /** Handshake done, no compression asked for. */
    static final HandshakeState DONE_PLAIN = new HandshakeState(List.of(), true, null);

    private final List<Compressor> offered;
    private final boolean done;
    private final List<Compressor> negotiated;

    private HandshakeState(List<Compressor> offered, boolean done, List<Compressor> negotiated) {
        this.offered = offered;
        this.done = done;
        this.negotiated = negotiated;
    }

    /** Before the first hello, with the compressors Sluice offers. */
    static HandshakeState start(List<Compressor> offered) {
        return new HandshakeState(offered, false, null);
    }

    boolean done() {
        return done;
    }

    /** The first handshake negotiates compression; later hellos (monitoring) keep it. Returns the next state. */
    HandshakeState negotiate(BsonDocument hello) {
        if (done) {
            return this;
        }
        BsonValue compression = hello.get("compression");
        if (compression == null || !compression.isArray()) {
            return DONE_PLAIN;
        }
        List<String> names = new ArrayList<>();
        for (BsonValue v : compression.asArray()) {
            if (v.isString()) {
                names.add(v.asString().getValue());
            }
        }
        return new HandshakeState(offered, true, Compressor.negotiate(names, offered));
    }

    /** What the hello reply's {@code compression} field says: null when the client did not ask. */
    List<Compressor> compressionReply() {
        return negotiated;
    }
}
