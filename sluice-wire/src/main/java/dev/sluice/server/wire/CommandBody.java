package dev.sluice.server.wire;

import org.bson.BsonDocument;

/**
 * A command's document, decoded only when asked for. The request path reads what it routes by in place
 * ({@code CommandFacts}) and forwards the frame's bytes; most operations never need the document itself, so an
 * {@link OpMsg} builds its {@link org.bson.RawBsonDocument} (and the map every org.bson document carries) on the
 * first {@link #document()} only.
 */
public interface CommandBody {
    /** The command document (the same instance on every call). */
    BsonDocument document();

    /** A body that is already a document. */
    static CommandBody of(BsonDocument document) {
        return () -> document;
    }
}
