package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpMsgTest extends WireTestBase {

    private OpMsg parse(byte[] frame) {
        ByteBuf buf = buf(frame);
        try {
            return OpMsg.parse(buf);
        } finally {
            buf.release();
        }
    }

    private WireProtocolException parseError(byte[] frame) {
        ByteBuf buf = buf(frame);
        try {
            OpMsg.parse(buf);
            throw new AssertionError("parse accepted the frame");
        } catch (WireProtocolException e) {
            return e;
        } finally {
            buf.release();
        }
    }

    @Test
    void roundTripsABodyAndTwoDocumentSequences() {
        BsonDocument body = doc("{insert: 'people', ordered: true, $db: 'test'}");
        List<DocumentSequence> sequences = List.of(
                DocumentSequence.of("documents", List.of(doc("{_id: 1, name: 'ada'}"), doc("{_id: 2, name: 'bob'}"))),
                DocumentSequence.of("extras", List.of(doc("{x: [1, 2, {y: null}]}"))));
        ByteBuf frame = OpMsg.encode(alloc, 42, 7, 0, body, sequences);
        OpMsg msg = OpMsg.parse(frame);
        assertThat(frame.refCnt()).as("parse leaves the frame to its owner").isEqualTo(1);
        frame.release();

        assertThat(msg.requestId()).isEqualTo(42);
        assertThat(msg.responseTo()).isEqualTo(7);
        assertThat(msg.flags()).isZero();
        assertThat(msg.body()).isEqualTo(body);
        assertThat(msg.commandName()).isEqualTo("insert");
        assertThat(msg.database()).isEqualTo("test");
        assertThat(msg.sequences()).extracting(DocumentSequence::identifier).containsExactly("documents", "extras");
        assertThat(docs(msg.sequence("documents").documents()))
                .containsExactly(doc("{_id: 1, name: 'ada'}"), doc("{_id: 2, name: 'bob'}"));
        assertThat(docs(msg.sequence("extras").documents())).containsExactly(doc("{x: [1, 2, {y: null}]}"));
        assertThat(msg.sequence("missing")).isNull();
    }

    @Test
    void theBodyIsDecodedOnFirstUseFromItsBytesOnceTheFrameIsGone() {
        BsonDocument body = doc("{find: 'c', filter: {a: {$gt: 1}}, lsid: {id: 1}, $db: 'x'}");
        OpMsg msg = parse(drain(OpMsg.encode(alloc, 1, 0, 0, body))); // the frame is released by parse(byte[])
        assertThat(msg.bodyBytes()).isEqualTo(bsonBytes(body));
        RawBsonDocument first = msg.body();
        assertThat(first).isEqualTo(body);
        assertThat(msg.body()).isSameAs(first);
        assertThat(msg.document()).isSameAs(first);
    }

    @Test
    void acceptsSequencesBeforeTheBody() {
        byte[] frame = RawFrame.opMsg(1, 0).sequence("documents", doc("{a: 1}")).u8(0)
                .doc(doc("{insert: 'c', $db: 'd'}")).build();
        OpMsg msg = parse(frame);
        assertThat(msg.commandName()).isEqualTo("insert");
        assertThat(msg.sequences()).hasSize(1);
    }

    @Test
    void acceptsAnEmptyDocumentSequence() {
        byte[] frame = RawFrame.opMsg(1, 0).u8(0).doc(doc("{insert: 'c'}")).sequence("documents").build();
        assertThat(parse(frame).sequence("documents").documents()).isEmpty();
    }

    @Test
    void copiesARawBodyVerbatim() {
        RawBsonDocument raw = new RawBsonDocument(bsonBytes(doc("{find: 'c', filter: {a: {$gt: 1}}, $db: 'x'}")));
        byte[] frame = drain(OpMsg.encode(alloc, 1, 0, 0, raw));
        byte[] expected = RawFrame.opMsg(1, 0).u8(0).doc(raw).build();
        assertThat(frame).isEqualTo(expected);
    }

    @Test
    void roundTripsAChecksumComputedOverTheWholeMessage() {
        byte[] frame = drain(OpMsg.encode(alloc, 3, 0, OpMsg.CHECKSUM_PRESENT, doc("{ping: 1, $db: 'admin'}")));
        CRC32C crc = new CRC32C();
        crc.update(frame, 0, frame.length - 4);
        int trailer = (frame[frame.length - 4] & 0xff) | (frame[frame.length - 3] & 0xff) << 8
                | (frame[frame.length - 2] & 0xff) << 16 | (frame[frame.length - 1] & 0xff) << 24;
        assertThat(trailer).isEqualTo((int) crc.getValue());

        OpMsg msg = parse(frame);
        assertThat(msg.isChecksumPresent()).isTrue();
        assertThat(msg.commandName()).isEqualTo("ping");
    }

    @Test
    void refusesACorruptedChecksum() {
        byte[] frame = drain(OpMsg.encode(alloc, 3, 0, OpMsg.CHECKSUM_PRESENT, doc("{ping: 1, $db: 'admin'}")));
        frame[frame.length - 7] ^= 0x20; // inside the body: "admin" becomes "admiN"
        WireProtocolException e = parseError(frame);
        assertThat(e.getMessage()).startsWith("checksum: 0x").contains("the CRC-32C of the message");
        assertThat(e.isFatal()).isTrue();
        assertThat(e.requestId()).hasValue(3);
    }

    @Test
    void refusesAChecksumFlagWithoutRoomForTheChecksum() {
        byte[] frame = RawFrame.opMsg(1, OpMsg.CHECKSUM_PRESENT).u8(0).doc(new BsonDocument()).build();
        assertThat(parseError(frame)).hasMessage("OP_MSG messageLength: 26 (expected: >= 30 with checksumPresent)");
    }

    @Test
    void reportsMoreToComeAndExhaustAllowed() {
        OpMsg moreToCome = parse(drain(OpMsg.encode(alloc, 1, 0, OpMsg.MORE_TO_COME, doc("{insert: 'c'}"))));
        assertThat(moreToCome.isMoreToCome()).isTrue();
        assertThat(moreToCome.isExhaustAllowed()).isFalse();

        OpMsg exhaust = parse(drain(OpMsg.encode(alloc, 1, 0, OpMsg.EXHAUST_ALLOWED, doc("{hello: 1}"))));
        assertThat(exhaust.isExhaustAllowed()).isTrue();
        assertThat(exhaust.isMoreToCome()).isFalse();
        assertThat(exhaust.flags()).isEqualTo(1 << 16);
    }

    @Test
    void ignoresUnknownOptionalFlagBits() {
        OpMsg msg = parse(RawFrame.opMsg(1, 1 << 20 | 1 << 31).u8(0).doc(doc("{ping: 1}")).build());
        assertThat(msg.flags()).isEqualTo(1 << 20 | 1 << 31);
    }

    @Test
    void refusesUnknownRequiredFlagBits() {
        WireProtocolException e = parseError(RawFrame.opMsg(1, 1 << 2).u8(0).doc(doc("{ping: 1}")).build());
        assertThat(e).hasMessageStartingWith("flagBits: 0x00000004 (unknown required bits 0x0004 set");
        assertThat(e.isFatal()).isTrue();
        assertThatThrownBy(() -> OpMsg.encode(alloc, 1, 0, 1 << 3, doc("{ping: 1}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x0008");
    }

    @Test
    void refusesAnUnknownSectionKind() {
        byte[] frame = RawFrame.opMsg(1, 0).u8(0).doc(doc("{ping: 1}")).u8(7).doc(doc("{}")).build();
        WireProtocolException e = parseError(frame);
        assertThat(e).hasMessageStartingWith("unknown section kind: 7");
        assertThat(e.isFatal()).isTrue();
    }

    @Test
    void refusesTwoBodySections() {
        byte[] frame = RawFrame.opMsg(1, 0).u8(0).doc(doc("{ping: 1}")).u8(0).doc(doc("{ping: 2}")).build();
        assertThat(parseError(frame)).hasMessage("OP_MSG has more than one body section (kind 0)");
    }

    @Test
    void refusesAMessageWithoutBodySection() {
        byte[] frame = RawFrame.opMsg(1, 0).sequence("documents", doc("{a: 1}")).build();
        assertThat(parseError(frame)).hasMessage("OP_MSG has no body section (kind 0)");
    }

    @Test
    void refusesADocumentLengthThatRunsPastTheMessage() {
        byte[] body = bsonBytes(doc("{ping: 1}"));
        body[0] = 44; // the document claims 44 bytes, the message holds 15
        byte[] frame = RawFrame.opMsg(9, 0).u8(0).bytes(body).build();
        WireProtocolException e = parseError(frame);
        assertThat(e).hasMessage("OP_MSG body document length: 44 (expected: <= 15, the bytes left in the message)");
        assertThat(e.isFatal()).isTrue();
        assertThat(e.requestId()).hasValue(9);
    }

    @Test
    void refusesANegativeOrTinyDocumentLength() {
        assertThat(parseError(RawFrame.opMsg(1, 0).u8(0).i32(-5).u8(0).build()))
                .hasMessage("OP_MSG body document length: -5 (expected: >= 5)");
        assertThat(parseError(RawFrame.opMsg(1, 0).u8(0).i32(4).u8(0).build()))
                .hasMessage("OP_MSG body document length: 4 (expected: >= 5)");
    }

    @Test
    void refusesAMessageLengthThatDisagreesWithTheFrame() {
        byte[] frame = RawFrame.opMsg(1, 0).u8(0).doc(doc("{ping: 1}")).withLength(99);
        assertThat(parseError(frame)).hasMessage("messageLength: 99 (expected: 36, the size of the OP_MSG frame)");
    }

    @Test
    void refusesAFrameShorterThanAHeader() {
        assertThat(parseError(new byte[10])).hasMessage("message header: 10 bytes (expected: >= 16)");
    }

    @Test
    void refusesAnotherOpcode() {
        byte[] frame = RawFrame.header(1, 0, OpCode.OP_QUERY.code()).bytes(new byte[20]).build();
        assertThat(parseError(frame)).hasMessage("opCode: OP_QUERY(2004) (expected: OP_MSG(2013))");
    }

    @Test
    void refusesTruncatedBsonAsRecoverable() {
        byte[] body = bsonBytes(doc("{ping: 1, comment: 'hello there'}"));
        byte[] truncated = java.util.Arrays.copyOf(body, body.length - 6);
        truncated[0] = (byte) truncated.length;
        WireProtocolException e = parseError(RawFrame.opMsg(5, 0).u8(0).bytes(truncated).build());
        assertThat(e).hasMessageStartingWith("invalid BSON in OP_MSG body: ");
        assertThat(e.isFatal()).as("the frame is still delimited: an error reply can be sent").isFalse();
        assertThat(e.requestId()).hasValue(5);
    }

    @Test
    void refusesABadElementTypeByte() {
        byte[] body = bsonBytes(doc("{ping: 1}"));
        body[4] = 0x42;
        assertThat(parseError(RawFrame.opMsg(1, 0).u8(0).bytes(body).build()))
                .hasMessageStartingWith("invalid BSON in OP_MSG body: ");
    }

    @Test
    void refusesAMissingTrailingNul() {
        byte[] body = bsonBytes(doc("{ping: 1}"));
        body[body.length - 1] = 1;
        assertThat(parseError(RawFrame.opMsg(1, 0).u8(0).bytes(body).build()))
                .hasMessageStartingWith("invalid BSON in OP_MSG body: ");
    }

    @Test
    void refusesAStringLengthThatLies() {
        byte[] body = bsonBytes(doc("{s: 'abc'}"));
        body[7] = 100; // the string's int32 length
        assertThat(parseError(RawFrame.opMsg(1, 0).u8(0).bytes(body).build()))
                .hasMessageStartingWith("invalid BSON in OP_MSG body: ");
    }

    @Test
    void refusesInvalidBsonNestedDeepInADocument() {
        byte[] body = bsonBytes(doc("{a: {b: [1, {c: 'x'}]}}"));
        int index = indexOf(body, (byte) 'c') - 1; // the type byte of c
        body[index] = 0x55;
        assertThat(parseError(RawFrame.opMsg(1, 0).u8(0).bytes(body).build()))
                .hasMessageStartingWith("invalid BSON in OP_MSG body: ");
    }

    @Test
    void validatesDeeplyNestedDocumentsWithoutExhaustingTheStack() {
        int depth = 50_000;
        RawFrame nested = new RawFrame();
        for (int level = depth; level >= 1; level--) {
            nested.i32(5 + 8 * level).u8(0x03).u8('a').u8(0);
        }
        nested.i32(5).u8(0);
        for (int level = 1; level <= depth; level++) {
            nested.u8(0);
        }
        OpMsg msg = parse(RawFrame.opMsg(1, 0).u8(0).bytes(nested.raw()).build());
        assertThat(msg.commandName()).isEqualTo("a");
    }

    @Test
    void refusesDocumentSequenceSizesThatLie() {
        byte[] tooLong = RawFrame.opMsg(1, 0).u8(0).doc(doc("{ping: 1}")).u8(1).i32(500).cstring("documents").build();
        assertThat(parseError(tooLong))
                .hasMessage("document sequence size: 500 (expected: <= 14, the bytes left in the message)");
        byte[] tooShort = RawFrame.opMsg(1, 0).u8(0).doc(doc("{ping: 1}")).u8(1).i32(3).u8(0).build();
        assertThat(parseError(tooShort)).hasMessage("document sequence size: 3 (expected: >= 5)");
    }

    @Test
    void refusesADocumentSequenceIdentifierWithoutNul() {
        byte[] frame = RawFrame.opMsg(1, 0).u8(0).doc(doc("{ping: 1}")).u8(1).i32(8).bytes(new byte[] {'d', 'o', 'c', 's'})
                .build();
        assertThat(parseError(frame)).hasMessage("document sequence identifier: missing terminating NUL (within 4 bytes)");
    }

    @Test
    void refusesADocumentThatRunsPastItsSequence() {
        byte[] document = bsonBytes(doc("{a: 1}"));
        // the section's size covers the identifier and only half of the document
        byte[] frame = RawFrame.opMsg(1, 0).u8(1).i32(4 + 2 + 6).cstring("d").bytes(document).u8(0)
                .doc(doc("{ping: 1}")).build();
        assertThat(parseError(frame)).hasMessage(
                "OP_MSG document sequence 'd' document #0 length: 12 (expected: <= 6, the bytes left in the section)");
    }

    @Test
    void refusesDuplicateSequenceIdentifiers() {
        byte[] frame = RawFrame.opMsg(1, 0).u8(0).doc(doc("{ping: 1}")).sequence("d", doc("{a: 1}"))
                .sequence("d", doc("{a: 2}")).build();
        assertThat(parseError(frame)).hasMessage("document sequence identifier: 'd' appears twice (expected: unique)");
    }

    @Test
    void takesUpToMaxDocumentSequencesAndAnswersMoreWithAnErrorWithoutReadingThem() {
        RawFrame most = RawFrame.opMsg(1, 0).u8(0).doc(doc("{bulkWrite: 1}"));
        for (int i = 0; i < OpMsg.MAX_DOCUMENT_SEQUENCES; i++) {
            most.sequence("s" + i, doc("{a: " + i + "}"));
        }
        assertThat(parse(most.build()).sequences()).hasSize(OpMsg.MAX_DOCUMENT_SEQUENCES);

        // one more, and then 40,000 more (a 360 KB message once took 6 s, each section checked against the others):
        // refused at the first one past the bound, even when what follows would not even parse
        RawFrame tooMany = RawFrame.opMsg(1, 0).u8(0).doc(doc("{bulkWrite: 1}"));
        for (int i = 0; i <= OpMsg.MAX_DOCUMENT_SEQUENCES + 40_000; i++) {
            tooMany.sequence("s" + i);
        }
        tooMany.u8(1).i32(1_000_000);
        WireProtocolException e = parseError(tooMany.build());
        assertThat(e).hasMessage("OP_MSG has more than " + OpMsg.MAX_DOCUMENT_SEQUENCES
                + " document sequences (maxDocumentSequences; a command sends one or two)");
        assertThat(e.isFatal()).as("the frame is delimited: the connection stays").isFalse();
    }

    @Test
    void refusesInvalidBsonInASequence() {
        byte[] document = bsonBytes(doc("{a: 1}"));
        document[4] = 0x33;
        byte[] frame = RawFrame.opMsg(1, 0).u8(0).doc(doc("{insert: 'c'}")).u8(1).i32(4 + 10 + document.length)
                .cstring("documents").bytes(document).build();
        WireProtocolException e = parseError(frame);
        assertThat(e).hasMessageStartingWith("invalid BSON in OP_MSG document sequence 'documents': ");
        assertThat(e.isFatal()).isFalse();
    }

    @Test
    void namesNoCommandOrDatabaseWhenTheBodyHasNone() {
        OpMsg empty = parse(RawFrame.opMsg(1, 0).u8(0).doc(new BsonDocument()).build());
        assertThat(empty.commandName()).isNull();
        assertThat(empty.database()).isNull();
        OpMsg numericDb = parse(RawFrame.opMsg(1, 0).u8(0).doc(doc("{ping: 1, $db: 5}")).build());
        assertThat(numericDb.database()).isNull();
    }

    @Test
    void keepsItsDocumentsAfterTheFrameIsReleased() {
        ByteBuf frame = OpMsg.encode(alloc, 1, 0, 0, doc("{find: 'c', $db: 'x'}"));
        OpMsg msg = OpMsg.parse(frame);
        frame.release();
        assertThat(msg.body()).isEqualTo(doc("{find: 'c', $db: 'x'}"));
    }

    @Test
    void aParsedSequenceCountsItsDocumentsAndBuildsThemOnlyWhenAskedFromItsOwnCopy() {
        List<BsonDocument> written = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            written.add(doc("{_id: " + i + ", name: 'item " + i + "', tags: ['a', {deep: [" + i + "]}]}"));
        }
        ByteBuf frame = OpMsg.encode(alloc, 3, 0, 0, doc("{insert: 'c', $db: 'x'}"),
                List.of(DocumentSequence.of("documents", written), DocumentSequence.of("extras", List.of())));
        OpMsg msg = OpMsg.parse(frame);
        frame.release(); // the sequence's documents live in its own copy
        DocumentSequence documents = msg.sequence("documents");
        assertThat(documents.count()).isEqualTo(300);
        assertThat(msg.sequence("extras").count()).isZero();
        List<RawBsonDocument> built = documents.documents();
        assertThat(docs(built)).containsExactlyElementsOf(written);
        assertThat(documents.documents()).isSameAs(built); // built once
        assertThatThrownBy(() -> built.add(null)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(documents).isEqualTo(DocumentSequence.of("documents", written));
        assertThat(msg.sequences()).extracting(DocumentSequence::identifier).containsExactly("documents", "extras");
        assertThatThrownBy(() -> msg.sequences().add(null)).isInstanceOf(UnsupportedOperationException.class);

        // re-encoded from its bytes, it is the same message
        ByteBuf again = OpMsg.encode(alloc, 3, 0, 0, msg.body(), msg.sequences());
        try {
            assertThat(docs(OpMsg.parse(again).sequence("documents").documents())).containsExactlyElementsOf(written);
        } finally {
            again.release();
        }
    }

    @Test
    void aBadLengthLaterInASequenceIsFatalEvenAfterADocumentWithBadContents() {
        byte[] bad = bsonBytes(doc("{a: 1}"));
        bad[4] = 0x33; // an unknown element type: recoverable on its own
        byte[] frame = RawFrame.opMsg(1, 0).u8(0).doc(doc("{insert: 'c'}")).u8(1).i32(4 + 2 + bad.length + 4)
                .cstring("d").bytes(bad).i32(99).build();
        WireProtocolException e = parseError(frame);
        assertThat(e.isFatal()).isTrue();
        assertThat(e).hasMessage("OP_MSG document sequence 'd' document #1 length: 99 (expected: <= 4, the bytes left"
                + " in the section)");
    }

    private static int indexOf(byte[] bytes, byte value) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
