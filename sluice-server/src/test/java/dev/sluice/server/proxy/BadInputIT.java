package dev.sluice.server.proxy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each kind of bad input closes only the offending connection (with an error reply where one can
 * be framed); Sluice stays up and serves the next client.
 */
class BadInputIT {
    private static SluiceHarness sluice;
    private static MongoClient healthy;

    @BeforeAll
    static void start() throws Exception {
        sluice = SluiceHarness.embedded();
        healthy = MongoClients.create(sluice.uri());
        healthy.getDatabase("test").getCollection("c").insertOne(new Document("x", 1));
    }

    @AfterAll
    static void stop() {
        healthy.close();
        sluice.close();
    }

    @AfterEach
    void sluiceStillServes() {
        assertThat(healthy.getDatabase("test").getCollection("c").countDocuments()).isEqualTo(1);
        try (MongoClient fresh = MongoClients.create(sluice.uri())) {
            assertThat(fresh.getDatabase("test").getCollection("c").countDocuments()).isEqualTo(1);
        }
    }

    static Stream<Arguments> badInputs() {
        byte[] hello = RawWire.helloDoc();
        byte[] truncatedBson = Arrays.copyOf(hello, hello.length - 3);
        byte[] invalidType = hello.clone();
        invalidType[4] = (byte) 0x7A; // no such BSON type
        byte[] unknownSection = RawWire.opMsg(7, 0, hello);
        unknownSection[20] = 9;
        byte[] lyingDocLength = RawWire.opMsg(8, 0, hello);
        ByteBuffer.wrap(lyingDocLength).order(ByteOrder.LITTLE_ENDIAN).putInt(21, 5000);
        byte[] garbage = new byte[64];
        new Random(42).nextBytes(garbage);
        ByteBuffer.wrap(garbage).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 64);
        return Stream.of(
                Arguments.of("frame shorter than 16 bytes", le(12, 1, 0), true),
                Arguments.of("frame longer than maxMessageSizeBytes", le(100_000_000, 1, 0, 2013), true),
                Arguments.of("negative length", le(-5, 1, 0, 2013), true),
                Arguments.of("unknown opcode", withHeader(9999, 5, new byte[8]), true),
                Arguments.of("truncated BSON", RawWire.opMsg(5, 0, truncatedBson), true),
                Arguments.of("invalid BSON type (frame intact: error reply, connection kept)", RawWire.opMsg(6, 0, invalidType), false),
                Arguments.of("40,000 document sequences (frame intact: error reply, connection kept)",
                        manySequences(10, 40_000), false),
                Arguments.of("unknown section kind", unknownSection, true),
                Arguments.of("document length that lies", lyingDocLength, true),
                Arguments.of("garbage bytes", garbage, true),
                Arguments.of("plain text", "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), true));
    }

    /**
     * An insert whose OP_MSG carries {@code count} empty document sequences of distinct names: each used to be checked
     * against all before it, so 40,000 of them (360 KB) held an event loop for seconds (maxDocumentSequences).
     */
    private static byte[] manySequences(int requestId, int count) {
        java.io.ByteArrayOutputStream sections = new java.io.ByteArrayOutputStream();
        sections.write(0);
        sections.writeBytes(bson(new org.bson.BsonDocument("insert", new org.bson.BsonString("c"))
                .append("$db", new org.bson.BsonString("test"))));
        for (int i = 0; i < count; i++) {
            byte[] name = ("s" + i).getBytes(StandardCharsets.US_ASCII);
            sections.write(1);
            sections.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(4 + name.length + 1).array());
            sections.writeBytes(name);
            sections.write(0);
        }
        byte[] body = sections.toByteArray();
        ByteBuffer frame = ByteBuffer.allocate(16 + 4 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        frame.putInt(frame.capacity()).putInt(requestId).putInt(0).putInt(2013).putInt(0).put(body);
        return frame.array();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputClosesOnlyThatConnection(String what, byte[] bytes, boolean closes) throws Exception {
        var address = sluice.server().mongoAddress();
        try (RawWire raw = new RawWire(address.getHostString(), address.getPort())) {
            raw.send(bytes);
            if (closes) {
                assertThat(raw.closedByServer()).as(what + " closes the connection").isTrue();
            } else {
                assertThat(new String(raw.readFrame(), StandardCharsets.ISO_8859_1)).contains("FailedToParse");
                raw.send(RawWire.opMsg(99, 0, RawWire.helloDoc()));
                assertThat(RawWire.responseTo(raw.readFrame())).isEqualTo(99);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void errorReplyIsFramedForAParseableHeader() throws Exception {
        var address = sluice.server().mongoAddress();
        byte[] bad = RawWire.opMsg(77, 0, RawWire.helloDoc());
        bad[20] = 9; // unknown section kind
        try (RawWire raw = new RawWire(address.getHostString(), address.getPort())) {
            raw.send(bad);
            byte[] reply = raw.readFrame();
            assertThat(reply).isNotNull();
            assertThat(RawWire.opCode(reply)).isEqualTo(2013);
            assertThat(RawWire.responseTo(reply)).isEqualTo(77);
            assertThat(new String(reply, StandardCharsets.ISO_8859_1)).contains("section kind");
            assertThat(raw.readFrame()).isNull();
        }
    }

    @org.junit.jupiter.api.Test
    void aDocumentLargerThanACommandMayCarryIsRefusedAsMongodDoesAndTheConnectionKept() throws Exception {
        // 16 MiB + 16 KiB is the most a command document may be (mongod's maxBsonObjectSize and 16 KiB); one byte
        // more, as an OP_MSG body or as an OP_QUERY command, is refused before anything reads it or sends it on
        org.bson.BsonDocument command = new org.bson.BsonDocument("insert", new org.bson.BsonString("c"))
                .append("$db", new org.bson.BsonString("test")).append("pad", new org.bson.BsonString(""));
        int fixed = bson(command).length;
        command.put("pad", new org.bson.BsonString("x".repeat(16 * 1024 * 1024 + 16 * 1024 - fixed + 1)));
        byte[] body = bson(command);
        assertThat(body.length).isEqualTo(16 * 1024 * 1024 + 16 * 1024 + 1);
        var address = sluice.server().mongoAddress();
        try (RawWire raw = new RawWire(address.getHostString(), address.getPort())) {
            raw.send(RawWire.opMsg(41, 0, body));
            byte[] reply = raw.readFrame();
            assertThat(RawWire.responseTo(reply)).isEqualTo(41);
            assertThat(new String(reply, StandardCharsets.ISO_8859_1)).contains("BSONObjectTooLarge")
                    .contains("BSONObj size: 16793601 is invalid").contains("maxBsonObjectSize");
            raw.send(withHeader(2004, 42, opQueryBody("test.$cmd", body)));
            reply = raw.readFrame();
            assertThat(RawWire.opCode(reply)).isEqualTo(1); // OP_REPLY for OP_QUERY
            assertThat(RawWire.responseTo(reply)).isEqualTo(42);
            assertThat(new String(reply, StandardCharsets.ISO_8859_1)).contains("BSONObjectTooLarge");
            raw.send(RawWire.opMsg(43, 0, RawWire.helloDoc())); // the connection goes on
            assertThat(RawWire.responseTo(raw.readFrame())).isEqualTo(43);
        }
        // the backend never saw it: its server is still known (a closed backend connection would have made it Unknown)
        assertThat(sluice.server().cluster().description().serverDescriptions())
                .allSatisfy(server -> assertThat(server.type()).isNotEqualTo(dev.sluice.server.topology.ServerType.UNKNOWN));
    }

    private static byte[] bson(org.bson.BsonDocument document) {
        ByteBuffer nio = new org.bson.RawBsonDocument(document, new org.bson.codecs.BsonDocumentCodec())
                .getByteBuffer().asNIO();
        byte[] bytes = new byte[nio.remaining()];
        nio.get(bytes);
        return bytes;
    }

    /** An OP_QUERY's fields after the header: flags, namespace, skip 0, return -1, the query. */
    private static byte[] opQueryBody(String namespace, byte[] query) {
        byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + ns.length + 1 + 8 + query.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0).put(ns).put((byte) 0).putInt(0).putInt(-1).put(query);
        return b.array();
    }

    private static byte[] le(int... ints) {
        ByteBuffer b = ByteBuffer.allocate(ints.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i : ints) {
            b.putInt(i);
        }
        return b.array();
    }

    private static byte[] withHeader(int opCode, int requestId, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(16 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(16 + body.length).putInt(requestId).putInt(0).putInt(opCode).put(body);
        return b.array();
    }
}
