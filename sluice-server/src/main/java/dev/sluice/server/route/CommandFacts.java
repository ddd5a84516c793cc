package dev.sluice.server.route;

import dev.sluice.server.wire.AsciiStrings;
import dev.sluice.server.wire.OpMsgBody;
import dev.sluice.server.wire.RawBson;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

import java.nio.ByteOrder;

/**
 * What routing needs to know about a command, read in one pass over its raw bytes in place ({@link RawBson}: a
 * {@link RawBsonDocument} re-scans itself and builds a String per key on every {@code get}): its name, {@code $db},
 * the getMore cursor id, the transaction fields and whether it carries a {@code $readPreference}. Nothing else is
 * decoded; the name and {@code $db} come from {@link AsciiStrings} (no String per request once seen).
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
        return read(Unpooled.wrappedBuffer(body.getByteBuffer().asNIO().duplicate().order(ByteOrder.BIG_ENDIAN)), 0);
    }

    /**
     * Reads the facts of the body of the OP_MSG frame held by {@code frame}'s readable bytes, in place (the request
     * path: nothing allocated once the names were seen), as {@link #of(RawBsonDocument)} of that body.
     */
    public static CommandFacts ofFrame(ByteBuf frame) {
        int body = OpMsgBody.indexOf(frame);
        return body < 0 ? new CommandFacts("", null, 0, false, -1, false, false, false) : read(frame, body);
    }

    private static CommandFacts read(ByteBuf buf, int doc) {
        String name = "";
        String database = null;
        long cursorId = 0;
        boolean lsid = false;
        long txnNumber = -1;
        boolean autocommit = false;
        boolean start = false;
        boolean readPreference = false;
        try {
            int end = doc + buf.getIntLE(doc) - 1;
            boolean first = true;
            for (int at = doc + 4; at < end; ) {
                byte type = buf.getByte(at);
                int key = at + 1;
                int value = RawBson.keyEnd(buf, key, end);
                if (first) {
                    name = AsciiStrings.of(buf, key, value - 1 - key);
                    first = false;
                    if (RawBson.keyIs(buf, key, "getMore") && (type == INT64 || type == INT32)) {
                        cursorId = type == INT64 ? buf.getLongLE(value) : buf.getIntLE(value);
                    }
                } else if (RawBson.keyIs(buf, key, "$db")) {
                    if (type == STRING) {
                        int size = buf.getIntLE(value);
                        RawBson.valueSize(buf, type, value, end);
                        database = AsciiStrings.of(buf, value + 4, size - 1);
                    }
                } else if (RawBson.keyIs(buf, key, "lsid")) {
                    lsid = type == DOCUMENT;
                } else if (RawBson.keyIs(buf, key, "txnNumber")) {
                    if (type == INT64 || type == INT32) {
                        txnNumber = type == INT64 ? buf.getLongLE(value) : buf.getIntLE(value);
                    }
                } else if (RawBson.keyIs(buf, key, "autocommit")) {
                    autocommit = true;
                } else if (RawBson.keyIs(buf, key, "startTransaction")) {
                    if (type == BOOLEAN) {
                        start = buf.getByte(value) != 0;
                    }
                } else if (RawBson.keyIs(buf, key, "$readPreference")) {
                    readPreference = true;
                }
                at = value + RawBson.valueSize(buf, type, value, end);
            }
        } catch (RuntimeException e) {
            // keep what was read: the codec validated the document, so this is not expected
        }
        return new CommandFacts(name, database, cursorId, lsid, txnNumber, autocommit, start, readPreference);
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
