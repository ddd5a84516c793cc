package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.util.ArrayList;
import java.util.List;

/** Validates an OP_MSG frame and copies its documents out: the implementation of {@link OpMsg#parse}. */
final class OpMsgParser {

    private OpMsgParser() {
    }

    static OpMsg parse(ByteBuf frame) {
        MessageHeader.checkFrame(frame, OpCode.OP_MSG, OpMsg.MIN_LENGTH); // in place: no header object
        int requestId = MessageHeader.requestIdOf(frame);
        int messageLength = frame.readableBytes();
        int start = frame.readerIndex();
        int flags = frame.getIntLE(start + OpMsg.FLAGS_OFFSET);
        int unknownRequired = flags & OpMsg.REQUIRED_BITS & ~OpMsg.KNOWN_REQUIRED_BITS;
        if (unknownRequired != 0) {
            throw WireProtocolException.fatal(requestId, String.format(
                    "flagBits: 0x%08x (unknown required bits 0x%04x set; expected among bits 0-15 only"
                            + " checksumPresent(0) and moreToCome(1))", flags, unknownRequired));
        }
        int end = start + messageLength;
        if ((flags & OpMsg.CHECKSUM_PRESENT) != 0) {
            end -= 4;
            checkChecksum(frame, start, end, messageLength, requestId);
        }
        byte[] body = null;
        List<DocumentSequence> sequences = List.of();
        int index = start + OpMsg.SECTIONS_OFFSET;
        while (index < end) {
            int kind = frame.getUnsignedByte(index++);
            if (kind == 0) {
                if (body != null) {
                    throw WireProtocolException.fatal(requestId, "OP_MSG has more than one body section (kind 0)");
                }
                int length = WireBson.documentLength(frame, index, end, requestId, "OP_MSG body document",
                        "message");
                body = WireBson.readDocumentBytes(frame, index, length, requestId, "OP_MSG body");
                index += length;
            } else if (kind == 1) {
                if (sequences.size() == OpMsg.MAX_DOCUMENT_SEQUENCES) { // before reading it: the frame is delimited
                    throw WireProtocolException.recoverable(requestId, "OP_MSG has more than "
                            + OpMsg.MAX_DOCUMENT_SEQUENCES + " document sequences (maxDocumentSequences; a command"
                            + " sends one or two)", null);
                }
                DocumentSequence sequence = readSequence(frame, index, end, requestId, sequences);
                index += frame.getIntLE(index); // the section's size, checked by readSequence
                if (sequences.isEmpty()) {
                    sequences = List.of(sequence); // the common case (an insert's documents): no list to grow
                } else {
                    List<DocumentSequence> more = new ArrayList<>(sequences);
                    more.add(sequence);
                    sequences = List.copyOf(more);
                }
            } else {
                throw WireProtocolException.fatal(requestId, "unknown section kind: " + kind
                        + " (expected: 0 body or 1 document sequence)");
            }
        }
        if (body == null) {
            throw WireProtocolException.fatal(requestId, "OP_MSG has no body section (kind 0)");
        }
        return new OpMsg(requestId, MessageHeader.responseToOf(frame), flags, body, sequences);
    }

    private static void checkChecksum(ByteBuf frame, int start, int end, int messageLength, int requestId) {
        if (messageLength < OpMsg.MIN_LENGTH + 4) {
            throw WireProtocolException.fatal(requestId, "OP_MSG messageLength: "
                    + messageLength + " (expected: >= " + (OpMsg.MIN_LENGTH + 4) + " with checksumPresent)");
        }
        int expected = frame.getIntLE(end);
        int actual = OpMsgChecksum.compute(frame, start, end - start);
        if (actual != expected) {
            throw WireProtocolException.fatal(requestId, String.format(
                    "checksum: 0x%08x (expected: 0x%08x, the CRC-32C of the message)", expected, actual));
        }
    }

    /**
     * The length of a sequence's document at {@code i} in {@code bytes}, checked against the bytes left; the error
     * names the document ({@code OP_MSG document sequence 'documents' document #3}), built only on failure.
     */
    private static int documentLength(byte[] bytes, int i, int requestId, String identifier, int number) {
        int left = bytes.length - i;
        int length = left < 4 ? -1 : RawBson.intLE(bytes, i);
        if (left < 4 || length < WireBson.MIN_DOCUMENT_LENGTH || length > left) {
            String what = "OP_MSG document sequence '" + identifier + "' document #" + number;
            throw WireProtocolException.fatal(requestId, left < 4
                    ? what + " length: missing (" + Math.max(left, 0) + " bytes left in the section, expected: >= "
                    + WireBson.MIN_DOCUMENT_LENGTH + ")"
                    : length < WireBson.MIN_DOCUMENT_LENGTH
                    ? what + " length: " + length + " (expected: >= " + WireBson.MIN_DOCUMENT_LENGTH + ")"
                    : what + " length: " + length + " (expected: <= " + left + ", the bytes left in the section)");
        }
        return length;
    }

    /** Reads the kind-1 section whose size field is at {@code index}; {@code seen}: the sequences before it. */
    private static DocumentSequence readSequence(ByteBuf frame, int index, int end, int requestId,
                                                 List<DocumentSequence> seen) {
        int left = end - index;
        if (left < 4) {
            throw WireProtocolException.fatal(requestId, "document sequence size: missing (" + left
                    + " bytes left in the message, expected: >= 5)");
        }
        int size = frame.getIntLE(index);
        if (size < 5) {
            throw WireProtocolException.fatal(requestId, "document sequence size: " + size + " (expected: >= 5)");
        }
        if (size > left) {
            throw WireProtocolException.fatal(requestId, "document sequence size: " + size + " (expected: <= "
                    + left + ", the bytes left in the message)");
        }
        int sectionEnd = index + size;
        int nul = WireBson.cstringEnd(frame, index + 4, sectionEnd, requestId, "document sequence identifier");
        // one copy of the identifier and the documents; the identifier is read from it (a per-thread table of names),
        // the documents are validated in it and become objects only when asked (DocumentSequence#documents)
        byte[] bytes = ByteBufUtil.getBytes(frame, index + 4, sectionEnd - index - 4);
        int idLength = nul - index - 4;
        String identifier = AsciiStrings.of(bytes, 0, idLength);
        for (int s = 0; s < seen.size(); s++) { // indexed: no iterator per section
            if (seen.get(s).identifier().equals(identifier)) {
                throw WireProtocolException.fatal(requestId,
                        "document sequence identifier: '" + identifier + "' appears twice (expected: unique)");
            }
        }
        int first = idLength + 1;
        int count = 0;
        int largest = 0;
        for (int i = first; i < bytes.length; count++) { // the framing first: a bad length is fatal
            int length = documentLength(bytes, i, requestId, identifier, count);
            largest = Math.max(largest, length);
            i += length;
        }
        for (int i = first; i < bytes.length; ) { // then the contents: a bad document is answered with an error
            int length = RawBson.intLE(bytes, i);
            try {
                BsonValidator.validate(bytes, i, length);
            } catch (RuntimeException e) { // the message is built only for a bad document
                throw WireProtocolException.recoverable(requestId, "invalid BSON in OP_MSG document sequence '"
                        + identifier + "': " + e.getMessage(), e);
            }
            i += length;
        }
        return new DocumentSequence(identifier, bytes, first, bytes.length - first, count, largest);
    }
}
