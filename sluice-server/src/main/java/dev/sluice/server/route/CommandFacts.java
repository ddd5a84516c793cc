package dev.sluice.server.route;

import dev.sluice.server.wire.AsciiStrings;
import dev.sluice.server.wire.OpMsg;
import dev.sluice.server.wire.RawBson;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

import java.nio.ByteBuffer;

/**
 * What routing needs to know about a command, read in one pass over its raw bytes in place ({@link RawBson}: a
 * {@link RawBsonDocument} re-scans itself and builds a String per key on every {@code get}): its name, {@code $db},
 * the getMore cursor id, the transaction fields and whether it carries a {@code $readPreference}. Nothing else is
 * decoded; the name and {@code $db} come from {@link AsciiStrings} (no String per request once seen), and facts equal
 * to those of a recent request on the same thread are that request's ({@link RecentFacts}: no object either).
 *
 * @param name              the command's name (first key), or "" for an empty document
 * @param database          {@code $db}, or null when absent or not a string
 * @param cursorId          the {@code getMore} value for getMore, else 0
 * @param hasLsid           an {@code lsid} document is present
 * @param txnNumber         {@code txnNumber}, or -1 when absent
 * @param autocommit        {@code autocommit} is present (only statements of a transaction carry it)
 * @param startTransaction  {@code startTransaction: true}
 * @param hasReadPreference a {@code $readPreference} field is present (of any type)
 */
public record CommandFacts(String name, String database, long cursorId, boolean hasLsid, long txnNumber,
                           boolean autocommit, boolean startTransaction, boolean hasReadPreference) {
    private static final byte STRING = 0x02;
    private static final byte DOCUMENT = 0x03;
    private static final byte BOOLEAN = 0x08;
    private static final byte INT32 = 0x10;
    private static final byte INT64 = 0x12;

    /** As {@link #of(RawBsonDocument)}, encoding a document that is not raw (legacy and internal paths). */
    public static CommandFacts of(BsonDocument body) {
        return of(body instanceof RawBsonDocument raw ? raw : new RawBsonDocument(body, new BsonDocumentCodec()));
    }

    /** Reads the facts of a document; a malformed document (already validated by the codec) gives what was read. */
    public static CommandFacts of(RawBsonDocument body) {
        ByteBuffer nio = body.getByteBuffer().asNIO();
        return read(nio.array(), nio.arrayOffset() + nio.position());
    }

    /**
     * Reads the facts of a request's body, its bytes as the parser copied them ({@link OpMsg#bodyBytes()}), in
     * place (the request path: nothing allocated once the names were seen), as {@link #of(RawBsonDocument)}.
     */
    public static CommandFacts ofBody(byte[] body) {
        return read(body, 0);
    }

    private static CommandFacts read(byte[] buf, int doc) {
        String name = "";
        String database = null;
        long cursorId = 0;
        boolean lsid = false;
        long txnNumber = -1;
        boolean autocommit = false;
        boolean start = false;
        boolean readPreference = false;
        try {
            int end = doc + RawBson.intLE(buf, doc) - 1;
            if (end >= buf.length) {
                throw new IllegalArgumentException("document length past the array");
            }
            boolean first = true;
            for (int at = doc + 4; at < end; ) {
                byte type = buf[at];
                int key = at + 1;
                int value = RawBson.keyEnd(buf, key, end);
                if (first) {
                    name = AsciiStrings.of(buf, key, value - 1 - key);
                    first = false;
                    if (type == INT64 || type == INT32) {
                        if (RawBson.keyIs(buf, key, "getMore")) {
                            RawBson.valueSize(buf, type, value, end);
                            cursorId = type == INT64 ? RawBson.longLE(buf, value) : RawBson.intLE(buf, value);
                        }
                    }
                }
                if (buf[key] == '$') {
                    if (RawBson.keyIs(buf, key, "$db")) {
                        if (type == STRING) {
                            RawBson.valueSize(buf, type, value, end);
                            database = AsciiStrings.of(buf, value + 4, RawBson.intLE(buf, value) - 1);
                        }
                    } else if (RawBson.keyIs(buf, key, "$readPreference")) {
                        readPreference = true;
                    }
                } else if (RawBson.keyIs(buf, key, "lsid")) {
                    lsid = type == DOCUMENT;
                } else if (RawBson.keyIs(buf, key, "txnNumber")) {
                    if (type == INT64 || type == INT32) {
                        RawBson.valueSize(buf, type, value, end);
                        txnNumber = type == INT64 ? RawBson.longLE(buf, value) : RawBson.intLE(buf, value);
                    }
                } else if (RawBson.keyIs(buf, key, "autocommit")) {
                    autocommit = true;
                } else if (RawBson.keyIs(buf, key, "startTransaction")) {
                    if (type == BOOLEAN) {
                        RawBson.valueSize(buf, type, value, end);
                        start = buf[value] != 0;
                    }
                }
                at = value + RawBson.valueSize(buf, type, value, end);
            }
        } catch (RuntimeException e) {
            // keep what was read: the parser validated the document, so this is not expected
        }
        return RecentFacts.of(name, database, cursorId, lsid, txnNumber, autocommit, start, readPreference);
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
