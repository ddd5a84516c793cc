package dev.sluice.server.route;

import org.bson.BsonBinaryReader;
import org.bson.BsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.BsonType;
import org.bson.RawBsonDocument;

/**
 * What routing needs to know about a command, read in one pass over its raw bytes (a
 * {@link RawBsonDocument} re-scans itself on every {@code get}): its name, {@code $db}, the getMore
 * cursor id, and the transaction fields. Nothing else is decoded.
 *
 * @param name             the command's name (first key), or "" for an empty document
 * @param database         {@code $db}, or null when absent or not a string
 * @param cursorId         the {@code getMore} value for getMore, else 0
 * @param hasLsid          an {@code lsid} document is present
 * @param txnNumber        {@code txnNumber}, or -1 when absent
 * @param autocommit       {@code autocommit} is present (only statements of a transaction carry it)
 * @param startTransaction {@code startTransaction: true}
 */
public record CommandFacts(String name, String database, long cursorId, boolean hasLsid, long txnNumber,
                           boolean autocommit, boolean startTransaction) {

    /** As {@link #of(RawBsonDocument)}, encoding a document that is not raw (legacy and internal paths). */
    public static CommandFacts of(BsonDocument body) {
        return of(body instanceof RawBsonDocument raw ? raw : new RawBsonDocument(body, new BsonDocumentCodec()));
    }

    /** Reads the facts; a malformed document (already validated by the codec) gives what was read. */
    public static CommandFacts of(RawBsonDocument body) {
        String name = "";
        String database = null;
        long cursorId = 0;
        boolean lsid = false;
        long txnNumber = -1;
        boolean autocommit = false;
        boolean start = false;
        try (BsonBinaryReader reader = new BsonBinaryReader(body.getByteBuffer().asNIO())) {
            reader.readStartDocument();
            boolean first = true;
            while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
                String key = reader.readName();
                BsonType type = reader.getCurrentBsonType();
                if (first) {
                    name = key;
                    first = false;
                    if ("getMore".equals(key) && (type == BsonType.INT64 || type == BsonType.INT32)) {
                        cursorId = type == BsonType.INT64 ? reader.readInt64() : reader.readInt32();
                        continue;
                    }
                } else if ("$db".equals(key) && type == BsonType.STRING) {
                    database = reader.readString();
                    continue;
                } else if ("lsid".equals(key)) {
                    lsid = type == BsonType.DOCUMENT;
                } else if ("txnNumber".equals(key) && (type == BsonType.INT64 || type == BsonType.INT32)) {
                    txnNumber = type == BsonType.INT64 ? reader.readInt64() : reader.readInt32();
                    continue;
                } else if ("autocommit".equals(key)) {
                    autocommit = true;
                } else if ("startTransaction".equals(key) && type == BsonType.BOOLEAN) {
                    start = reader.readBoolean();
                    continue;
                }
                reader.skipValue();
            }
        } catch (RuntimeException e) {
            // keep what was read: the codec validated the document, so this is not expected
        }
        return new CommandFacts(name, database, cursorId, lsid, txnNumber, autocommit, start);
    }

    /**
     * A retryable write: insert, update, delete or findAndModify with lsid and txnNumber and no
     * autocommit (which would make it a transaction statement).
     */
    public boolean isRetryableWrite() {
        return hasLsid && txnNumber >= 0 && !autocommit && switch (name) {
            case "insert", "update", "delete", "findAndModify", "findandmodify" -> true;
            default -> false;
        };
    }

    /** A statement of a multi-document transaction (it has lsid, txnNumber and autocommit). */
    public boolean inTransaction() {
        return hasLsid && txnNumber >= 0 && autocommit;
    }
}
