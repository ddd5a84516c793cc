package dev.sluice.server.client;

import dev.sluice.server.wire.Compressor;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.List;

/** Per connection: whether the handshake happened and which compressors were negotiated. */
final class HandshakeState {
    private final List<Compressor> offered;
    private boolean done;
    private List<Compressor> negotiated;

    HandshakeState(List<Compressor> offered) {
        this.offered = offered;
    }

    boolean done() {
        return done;
    }

    /** The first handshake negotiates compression; later hellos (monitoring) keep it. */
    void negotiate(BsonDocument hello) {
        if (done) {
            return;
        }
        done = true;
        BsonValue compression = hello.get("compression");
        if (compression == null || !compression.isArray()) {
            negotiated = null;
            return;
        }
        List<String> names = new ArrayList<>();
        for (BsonValue v : compression.asArray()) {
            if (v.isString()) {
                names.add(v.asString().getValue());
            }
        }
        negotiated = Compressor.negotiate(names, offered);
    }

    /** What the hello reply's {@code compression} field says: null when the client did not ask. */
    List<Compressor> compressionReply() {
        return negotiated;
    }
}
