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
 * <p>A parsed sequence keeps its documents as the one array of bytes they were copied into (validated) and builds
 * the {@link RawBsonDocument}s only when {@link #documents()} is first called: a forwarded insert of a thousand
 * documents does not build a thousand objects that no one reads.
 */
public final class DocumentSequence {
    private final String identifier;
    /** The documents back to back (parsed sequences), or null when built from documents. */
    private final byte[] bytes;
    private final int offset;
    private final int length;
    private final int count;
    private final int largest;
    private List<RawBsonDocument> documents;

    /**
     * @param identifier the command argument's name
     * @param documents  the documents, in wire order (copied: immutable)
     */
    public DocumentSequence(String identifier, List<RawBsonDocument> documents) {
        this.identifier = Objects.requireNonNull(identifier, "identifier");
        this.documents = List.copyOf(documents);
        this.bytes = null;
        this.offset = 0;
        this.length = 0;
        this.count = this.documents.size();
        int max = 0;
        for (RawBsonDocument document : this.documents) {
            max = Math.max(max, document.getByteBuffer().remaining());
        }
        this.largest = max;
    }

    /**
     * A parsed sequence: {@code count} validated documents back to back in {@code bytes[offset, offset+length)}, the
     * largest {@code largest} bytes long.
     */
    DocumentSequence(String identifier, byte[] bytes, int offset, int length, int count, int largest) {
        this.identifier = Objects.requireNonNull(identifier, "identifier");
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        this.count = count;
        this.largest = largest;
    }

    /** A sequence of any documents, encoding those that are not {@link RawBsonDocument}s yet. */
    public static DocumentSequence of(String identifier, List<? extends BsonDocument> documents) {
        List<RawBsonDocument> raw = new ArrayList<>(documents.size());
        for (BsonDocument document : documents) {
            raw.add(WireBson.toRaw(document));
        }
        return new DocumentSequence(identifier, raw);
    }

    /** The command argument's name. */
    public String identifier() {
        return identifier;
    }

    /** How many documents the sequence holds (without building them). */
    public int count() {
        return count;
    }

    /** The length in bytes of the largest document (0 when there is none). */
    public int largestDocument() {
        return largest;
    }

    /** The documents, in wire order (immutable; built on the first call for a parsed sequence). */
    public List<RawBsonDocument> documents() {
        List<RawBsonDocument> d = documents;
        if (d == null) {
            RawBsonDocument[] built = new RawBsonDocument[count];
            int at = offset;
            for (int i = 0; i < count; i++) {
                int size = RawBson.intLE(bytes, at);
                built[i] = new RawBsonDocument(bytes, at, size);
                at += size;
            }
            d = List.of(built);
            documents = d;
        }
        return d;
    }

    /** The encoded size of the documents, in bytes. */
    int encodedLength() {
        if (bytes != null) {
            return length;
        }
        int size = 0;
        for (RawBsonDocument document : documents) {
            size += document.getByteBuffer().remaining();
        }
        return size;
    }

    /** Appends the documents as they are on the wire. */
    void writeDocuments(io.netty.buffer.ByteBuf out) {
        if (bytes != null) {
            out.writeBytes(bytes, offset, length);
            return;
        }
        for (RawBsonDocument document : documents) {
            WireBson.writeDocument(out, document);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DocumentSequence other && identifier.equals(other.identifier)
                && documents().equals(other.documents());
    }

    @Override
    public int hashCode() {
        return 31 * identifier.hashCode() + documents().hashCode();
    }

    @Override
    public String toString() {
        return "DocumentSequence[identifier=" + identifier + ", documents=" + count + "]";
    }
}
