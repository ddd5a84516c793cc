package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

/**
 * A legacy OP_QUERY (opcode 2004). Modern drivers send it only for the first handshake
 * ({@code isMaster}/{@code hello} on {@code admin.$cmd}) before they know the server speaks
 * OP_MSG; Sluice parses it to answer that handshake.
 *
 * <p>Immutable; holds copies of the documents, never the frame, which stays the caller's.
 */
public final class OpQuery {

    /** Flag bit 2: the query may run on a secondary (slaveOk / secondaryOk). */
    public static final int SECONDARY_OK = 1 << 2;
    /** Flag bit 6: the client accepts an exhaust stream of replies. */
    public static final int EXHAUST = 1 << 6;

    private static final int FLAGS_OFFSET = MessageHeader.LENGTH;
    private static final int NAME_OFFSET = FLAGS_OFFSET + 4;
    /** Header, flags, a one-character name, skip, return and the smallest document. */
    static final int MIN_LENGTH = NAME_OFFSET + 2 + 4 + 4 + WireBson.MIN_DOCUMENT_LENGTH;

    private final int requestId;
    private final int responseTo;
    private final int flags;
    private final String fullCollectionName;
    private final int numberToSkip;
    private final int numberToReturn;
    private final RawBsonDocument query;
    private final RawBsonDocument returnFieldsSelector;

    private OpQuery(int requestId, int responseTo, int flags, String fullCollectionName, int numberToSkip,
            int numberToReturn, RawBsonDocument query, RawBsonDocument returnFieldsSelector) {
        this.requestId = requestId;
        this.responseTo = responseTo;
        this.flags = flags;
        this.fullCollectionName = fullCollectionName;
        this.numberToSkip = numberToSkip;
        this.numberToReturn = numberToReturn;
        this.query = query;
        this.returnFieldsSelector = returnFieldsSelector;
    }

    /**
     * Parses and validates the OP_QUERY frame held by {@code frame}'s readable bytes. Does not
     * change the frame's indexes nor release it.
     *
     * @throws WireProtocolException when the frame is not a valid OP_QUERY
     */
    public static OpQuery parse(ByteBuf frame) {
        MessageHeader header = MessageHeader.readFrame(frame, OpCode.OP_QUERY, MIN_LENGTH);
        int requestId = header.requestId();
        int start = frame.readerIndex();
        int end = start + header.messageLength();
        int flags = frame.getIntLE(start + FLAGS_OFFSET);
        int nameStart = start + NAME_OFFSET;
        int nul = WireBson.cstringEnd(frame, nameStart, end, requestId, "OP_QUERY fullCollectionName");
        String name = WireBson.readCString(frame, nameStart, nul);
        int index = nul + 1;
        if (end - index < 8) {
            throw WireProtocolException.fatal(requestId, "OP_QUERY numberToSkip/numberToReturn: missing ("
                    + (end - index) + " bytes left, expected: >= 8)");
        }
        int numberToSkip = frame.getIntLE(index);
        int numberToReturn = frame.getIntLE(index + 4);
        index += 8;
        int length = WireBson.documentLength(frame, index, end, requestId, "OP_QUERY query document", "message");
        RawBsonDocument query = WireBson.readDocument(frame, index, length, requestId, "OP_QUERY query");
        index += length;
        RawBsonDocument selector = null;
        if (index < end) {
            length = WireBson.documentLength(frame, index, end, requestId, "OP_QUERY returnFieldsSelector", "message");
            selector = WireBson.readDocument(frame, index, length, requestId, "OP_QUERY returnFieldsSelector");
            index += length;
            if (index != end) {
                throw WireProtocolException.fatal(requestId, "OP_QUERY has " + (end - index)
                        + " bytes after returnFieldsSelector (expected: 0)");
            }
        }
        return new OpQuery(requestId, header.responseTo(), flags, name, numberToSkip, numberToReturn, query, selector);
    }

    public int requestId() {
        return requestId;
    }

    public int responseTo() {
        return responseTo;
    }

    public int flags() {
        return flags;
    }

    public boolean isSecondaryOk() {
        return (flags & SECONDARY_OK) != 0;
    }

    public boolean isExhaust() {
        return (flags & EXHAUST) != 0;
    }

    /** {@code "db.collection"}, e.g. {@code "admin.$cmd"}. */
    public String fullCollectionName() {
        return fullCollectionName;
    }

    public int numberToSkip() {
        return numberToSkip;
    }

    public int numberToReturn() {
        return numberToReturn;
    }

    /** The query document as sent, possibly wrapped in {@code $query}. */
    public RawBsonDocument query() {
        return query;
    }

    /** The optional projection, or {@code null}. */
    public RawBsonDocument returnFieldsSelector() {
        return returnFieldsSelector;
    }

    /** The part of {@link #fullCollectionName()} before the first '.' (all of it when there is none). */
    public String database() {
        int dot = fullCollectionName.indexOf('.');
        return dot < 0 ? fullCollectionName : fullCollectionName.substring(0, dot);
    }

    /** The part after the first '.', or {@code ""}. */
    public String collectionName() {
        int dot = fullCollectionName.indexOf('.');
        return dot < 0 ? "" : fullCollectionName.substring(dot + 1);
    }

    /** Whether this is a command: a query on the {@code $cmd} collection. */
    public boolean isCommand() {
        return "$cmd".equals(collectionName());
    }

    /** Whether the query is wrapped: its first key is {@code $query} or {@code query} and holds a document. */
    public boolean isWrapped() {
        if (query.isEmpty()) {
            return false;
        }
        String first = query.getFirstKey();
        return ("$query".equals(first) || "query".equals(first)) && query.get(first).isDocument();
    }

    /**
     * The command (or filter) itself: the document under {@code $query}/{@code query} when
     * wrapped, else the query document. Only the first key counts as the wrapper, so a
     * {@code {count: "c", query: {...}}} command is returned as is.
     */
    public BsonDocument commandDocument() {
        return isWrapped() ? query.get(query.getFirstKey()).asDocument() : query;
    }

    /** The first key of {@link #commandDocument()}, or {@code null} when it is empty. */
    public String commandName() {
        BsonDocument command = commandDocument();
        return command.isEmpty() ? null : command.getFirstKey();
    }

    /** The top-level {@code $readPreference} document of a wrapped query, or {@code null}. */
    public BsonDocument readPreference() {
        if (!isWrapped()) {
            return null;
        }
        BsonValue value = query.get("$readPreference");
        return value != null && value.isDocument() ? value.asDocument() : null;
    }

    @Override
    public String toString() {
        return "OpQuery{requestId=" + requestId + ", ns=" + fullCollectionName + ", flags=0x"
                + Integer.toHexString(flags) + ", command=" + (isCommand() ? commandName() : null) + '}';
    }
}
