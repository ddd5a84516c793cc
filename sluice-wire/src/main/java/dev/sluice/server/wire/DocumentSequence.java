package dev.sluice.server.wire;

import org.bson.BsonDocument;
import org.bson.RawBsonDocument;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An OP_MSG section of kind 1: a command argument (e.g. {@code documents} of an insert) carried
 * as a run of BSON documents beside the body instead of as an array inside it.
 *
 * @param identifier the command argument's name
 * @param documents  the documents, in wire order (immutable)
 */
public record DocumentSequence(String identifier, List<RawBsonDocument> documents) {

    public DocumentSequence {
        Objects.requireNonNull(identifier, "identifier");
        documents = List.copyOf(documents);
    }

    /** A sequence of any documents, encoding those that are not {@link RawBsonDocument}s yet. */
    public static DocumentSequence of(String identifier, List<? extends BsonDocument> documents) {
        List<RawBsonDocument> raw = new ArrayList<>(documents.size());
        for (BsonDocument document : documents) {
            raw.add(WireBson.toRaw(document));
        }
        return new DocumentSequence(identifier, raw);
    }
}
