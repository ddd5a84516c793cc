package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

import java.util.List;

/**
 * An OP_MSG (opcode 2013): flag bits, one body document, any number of document sequences and an
 * optional CRC-32C checksum.
 *
 * <p>Instances hold copies of the documents' bytes, never the frame: after
 * {@link #parse} the caller still owns the frame and may release it. The static helpers
 * ({@link #setRequestId}, {@link #stripChecksum}...) rewrite a frame in place for forwarding.
 */
public final class OpMsg implements CommandBody {

    /** Flag bit 0: the message ends with a CRC-32C checksum. */
    public static final int CHECKSUM_PRESENT = 1;
    /** Flag bit 1: the sender will send another message without waiting for a reply. */
    public static final int MORE_TO_COME = 1 << 1;
    /** Flag bit 16: the client accepts several replies (moreToCome) to this request. */
    public static final int EXHAUST_ALLOWED = 1 << 16;

    /**
     * Document sequences (kind-1 sections) one message may carry, named {@code maxDocumentSequences} in the error. The
     * commands that use them send one or two (insert, update and delete one, bulkWrite two). Each new section is
     * checked against those before it, so without a bound a message of a few hundred KB holding tens of thousands of
     * tiny sections held an event loop for seconds, and a 48 MB one for hours.
     */
    public static final int MAX_DOCUMENT_SEQUENCES = 16;

    /** Bits 0-15 are "required": a receiver must fail on those it does not know. */
    static final int REQUIRED_BITS = 0xFFFF;
    static final int KNOWN_REQUIRED_BITS = CHECKSUM_PRESENT | MORE_TO_COME;

    static final int FLAGS_OFFSET = MessageHeader.LENGTH;
    static final int SECTIONS_OFFSET = FLAGS_OFFSET + 4;
    /** Header, flags, one kind byte and the smallest document. */
    static final int MIN_LENGTH = SECTIONS_OFFSET + 1 + WireBson.MIN_DOCUMENT_LENGTH;

    private final int requestId;
    private final int responseTo;
    private final int flags;
    private final byte[] bodyBytes;
    /** Built from {@link #bodyBytes} on first use; a race builds two equal immutable documents, no harm. */
    private RawBsonDocument body;
    private final List<DocumentSequence> sequences;

    OpMsg(int requestId, int responseTo, int flags, byte[] bodyBytes, List<DocumentSequence> sequences) {
        this.requestId = requestId;
        this.responseTo = responseTo;
        this.flags = flags;
        this.bodyBytes = bodyBytes;
        this.sequences = List.copyOf(sequences);
    }

    /**
     * Parses and fully validates the OP_MSG frame held by {@code frame}'s readable bytes (exactly one
     * message, header included). Does not change the frame's indexes nor release it.
     *
     * @throws WireProtocolException when the frame is not a valid OP_MSG; {@link
     *         WireProtocolException#isFatal()} is false only for invalid BSON inside a well-delimited
     *         document
     */
    public static OpMsg parse(ByteBuf frame) {
        return OpMsgParser.parse(frame);
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

    public boolean isChecksumPresent() {
        return (flags & CHECKSUM_PRESENT) != 0;
    }

    public boolean isMoreToCome() {
        return (flags & MORE_TO_COME) != 0;
    }

    public boolean isExhaustAllowed() {
        return (flags & EXHAUST_ALLOWED) != 0;
    }

    /** The kind-0 section: the command (built on the first call, from the body's bytes). */
    public RawBsonDocument body() {
        RawBsonDocument b = body;
        if (b == null) {
            b = new RawBsonDocument(bodyBytes, 0, bodyBytes.length);
            body = b;
        }
        return b;
    }

    /** {@link #body()}. */
    @Override
    public BsonDocument document() {
        return body();
    }

    /**
     * The bytes of the body, exactly the document (offset 0, the whole array): the array {@link #body()} wraps,
     * for readers that walk it in place ({@link RawBson}). Read it, never write it.
     */
    public byte[] bodyBytes() {
        return bodyBytes;
    }

    /** The kind-1 sections, in wire order (immutable, possibly empty). */
    public List<DocumentSequence> sequences() {
        return sequences;
    }

    /** The sequence named {@code identifier}, or {@code null}. */
    public DocumentSequence sequence(String identifier) {
        for (DocumentSequence sequence : sequences) {
            if (sequence.identifier().equals(identifier)) {
                return sequence;
            }
        }
        return null;
    }

    /** The first key of the body (the command's name), or {@code null} when the body is empty. */
    public String commandName() {
        return body().isEmpty() ? null : body().getFirstKey();
    }

    /** The body's {@code $db} string, or {@code null} when absent or not a string. */
    public String database() {
        BsonValue db = body().get("$db");
        return db != null && db.isString() ? db.asString().getValue() : null;
    }

    @Override
    public String toString() {
        return "OpMsg{requestId=" + requestId + ", responseTo=" + responseTo + ", flags=0x"
                + Integer.toHexString(flags) + ", command=" + commandName() + ", sequences=" + sequences.size() + '}';
    }

    /**
     * Frames an OP_MSG with a body and no document sequence. When {@code flags} has
     * {@link #CHECKSUM_PRESENT} the checksum is computed and appended. The caller owns the result.
     */
    public static ByteBuf encode(ByteBufAllocator alloc, int requestId, int responseTo, int flags, BsonDocument body) {
        return OpMsgEncoder.encode(alloc, requestId, responseTo, flags, body, List.of());
    }

    /** Frames an OP_MSG: the body first, then the sequences in order. The caller owns the result. */
    public static ByteBuf encode(ByteBufAllocator alloc, int requestId, int responseTo, int flags, BsonDocument body,
            List<DocumentSequence> sequences) {
        return OpMsgEncoder.encode(alloc, requestId, responseTo, flags, body, sequences);
    }

    /** The flag bits of the OP_MSG frame at {@code frame.readerIndex()}. */
    public static int flags(ByteBuf frame) {
        return frame.getIntLE(frame.readerIndex() + FLAGS_OFFSET);
    }

    /**
     * Rewrites the requestId of the OP_MSG frame in place. The checksum covers the header, so when
     * the frame carries one it is recomputed (or call {@link #stripChecksum} first to avoid that).
     */
    public static void setRequestId(ByteBuf frame, int requestId) {
        MessageHeader.setRequestId(frame, requestId);
        updateChecksumIfPresent(frame);
    }

    /** Rewrites the responseTo of the OP_MSG frame in place, keeping a checksum valid. */
    public static void setResponseTo(ByteBuf frame, int responseTo) {
        MessageHeader.setResponseTo(frame, responseTo);
        updateChecksumIfPresent(frame);
    }

    /**
     * Rewrites the flag bits of the OP_MSG frame in place, keeping a checksum valid. The
     * checksumPresent bit cannot be changed this way (it changes the frame's length): use
     * {@link #stripChecksum}.
     */
    public static void setFlags(ByteBuf frame, int flags) {
        int current = flags(frame);
        if (((current ^ flags) & CHECKSUM_PRESENT) != 0) {
            throw new IllegalArgumentException(String.format("flagBits: 0x%08x (expected: checksumPresent as in the "
                    + "frame, 0x%08x; use stripChecksum to remove a checksum)", flags, current));
        }
        OpMsgEncoder.checkFlags(flags);
        frame.setIntLE(frame.readerIndex() + FLAGS_OFFSET, flags);
        updateChecksumIfPresent(frame);
    }

    /**
     * Removes the checksum of the OP_MSG frame in place, if it has one: clears checksumPresent,
     * takes 4 from messageLength and drops the 4 trailing bytes (the frame's writerIndex moves back).
     * The frame's readable bytes must be exactly the message.
     */
    public static void stripChecksum(ByteBuf frame) {
        int start = frame.readerIndex();
        int flags = flags(frame);
        if ((flags & CHECKSUM_PRESENT) == 0) {
            return;
        }
        int length = frame.getIntLE(start);
        if (length != frame.readableBytes() || length < MIN_LENGTH + 4) {
            throw new IllegalArgumentException("messageLength: " + length + " (expected: " + frame.readableBytes()
                    + ", the frame's readable bytes, and >= " + (MIN_LENGTH + 4) + ")");
        }
        frame.setIntLE(start, length - 4);
        frame.setIntLE(start + FLAGS_OFFSET, flags & ~CHECKSUM_PRESENT);
        frame.writerIndex(frame.writerIndex() - 4);
    }

    /** Recomputes the checksum of the OP_MSG frame in place, when it has one. */
    public static void updateChecksumIfPresent(ByteBuf frame) {
        if ((flags(frame) & CHECKSUM_PRESENT) != 0) {
            OpMsgChecksum.update(frame);
        }
    }
}
