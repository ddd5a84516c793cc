package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpQueryTest extends WireTestBase {

    private static final BsonDocument CLIENT = doc(
            "{driver: {name: 'mongo-java-driver', version: '5.2.1'}, os: {type: 'Linux'}, application: {name: 'app'}}");

    private static byte[] query(int requestId, int flags, String ns, BsonDocument query) {
        return RawFrame.header(requestId, 0, OpCode.OP_QUERY.code()).i32(flags).cstring(ns).i32(0).i32(-1)
                .doc(query).build();
    }

    private OpQuery parse(byte[] frame) {
        ByteBuf buf = buf(frame);
        try {
            return OpQuery.parse(buf);
        } finally {
            buf.release();
        }
    }

    private WireProtocolException parseError(byte[] frame) {
        ByteBuf buf = buf(frame);
        try {
            OpQuery.parse(buf);
            throw new AssertionError("parse accepted the frame");
        } catch (WireProtocolException e) {
            return e;
        } finally {
            buf.release();
        }
    }

    @Test
    void parsesALegacyIsMasterHandshake() {
        BsonDocument isMaster = doc("{isMaster: 1, helloOk: true, compression: ['zstd', 'snappy']}").append("client", CLIENT);
        OpQuery query = parse(query(3, OpQuery.SECONDARY_OK, "admin.$cmd", isMaster));

        assertThat(query.requestId()).isEqualTo(3);
        assertThat(query.flags()).isEqualTo(OpQuery.SECONDARY_OK);
        assertThat(query.isSecondaryOk()).isTrue();
        assertThat(query.isExhaust()).isFalse();
        assertThat(query.fullCollectionName()).isEqualTo("admin.$cmd");
        assertThat(query.database()).isEqualTo("admin");
        assertThat(query.collectionName()).isEqualTo("$cmd");
        assertThat(query.isCommand()).isTrue();
        assertThat(query.numberToSkip()).isZero();
        assertThat(query.numberToReturn()).isEqualTo(-1);
        assertThat(query.isWrapped()).isFalse();
        assertThat(query.commandDocument()).isEqualTo(isMaster);
        assertThat(query.commandName()).isEqualTo("isMaster");
        assertThat(query.readPreference()).isNull();
        assertThat(query.returnFieldsSelector()).isNull();
    }

    @Test
    void unwrapsAQueryWrappedInDollarQuery() {
        BsonDocument wrapped = new BsonDocument("$query", doc("{ismaster: 1}").append("client", CLIENT))
                .append("$readPreference", doc("{mode: 'primaryPreferred'}"));
        OpQuery query = parse(query(4, 0, "admin.$cmd", wrapped));

        assertThat(query.isWrapped()).isTrue();
        assertThat(query.commandName()).isEqualTo("ismaster");
        assertThat(query.commandDocument()).isEqualTo(doc("{ismaster: 1}").append("client", CLIENT));
        assertThat(query.readPreference()).isEqualTo(doc("{mode: 'primaryPreferred'}"));
    }

    @Test
    void unwrapsAQueryWrappedInQuery() {
        BsonDocument wrapped = doc("{query: {isMaster: 1}, $readPreference: {mode: 'secondary'}}");
        OpQuery query = parse(query(4, 0, "admin.$cmd", wrapped));
        assertThat(query.commandDocument()).isEqualTo(doc("{isMaster: 1}"));
        assertThat(query.readPreference()).isEqualTo(doc("{mode: 'secondary'}"));
    }

    @Test
    void doesNotUnwrapAQueryArgumentThatIsNotTheFirstKey() {
        BsonDocument count = doc("{count: 'c', query: {a: 1}}");
        OpQuery query = parse(query(4, 0, "db.$cmd", count));
        assertThat(query.isWrapped()).isFalse();
        assertThat(query.commandDocument()).isEqualTo(count);
        assertThat(query.commandName()).isEqualTo("count");
    }

    @Test
    void readsTheReturnFieldsSelector() {
        byte[] frame = RawFrame.header(1, 0, OpCode.OP_QUERY.code()).i32(0).cstring("db.people").i32(5).i32(10)
                .doc(doc("{age: {$gt: 30}}")).doc(doc("{name: 1}")).build();
        OpQuery query = parse(frame);
        assertThat(query.isCommand()).isFalse();
        assertThat(query.numberToSkip()).isEqualTo(5);
        assertThat(query.numberToReturn()).isEqualTo(10);
        assertThat(query.returnFieldsSelector()).isEqualTo(doc("{name: 1}"));
    }

    @Test
    void takesANameWithoutDotAsTheDatabase() {
        OpQuery query = parse(query(1, 0, "admin", doc("{ping: 1}")));
        assertThat(query.database()).isEqualTo("admin");
        assertThat(query.collectionName()).isEmpty();
        assertThat(query.isCommand()).isFalse();
    }

    @Test
    void refusesACollectionNameWithoutNul() {
        byte[] frame = RawFrame.header(8, 0, OpCode.OP_QUERY.code()).i32(0)
                .bytes("admin.$cmd-admin.$cmd".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).build();
        WireProtocolException e = parseError(frame);
        assertThat(e).hasMessage("OP_QUERY fullCollectionName: missing terminating NUL (within 21 bytes)");
        assertThat(e.requestId()).hasValue(8);
    }

    @Test
    void refusesAQueryDocumentThatRunsPastTheMessage() {
        byte[] document = bsonBytes(doc("{isMaster: 1}"));
        document[0] = 100;
        byte[] frame = RawFrame.header(1, 0, OpCode.OP_QUERY.code()).i32(0).cstring("admin.$cmd").i32(0).i32(-1)
                .bytes(document).build();
        assertThat(parseError(frame))
                .hasMessage("OP_QUERY query document length: 100 (expected: <= 19, the bytes left in the message)");
    }

    @Test
    void refusesBytesAfterTheSelector() {
        byte[] frame = RawFrame.header(1, 0, OpCode.OP_QUERY.code()).i32(0).cstring("db.c").i32(0).i32(0)
                .doc(doc("{}")).doc(doc("{}")).bytes(new byte[] {5, 0, 0, 0, 0}).build();
        assertThat(parseError(frame)).hasMessage("OP_QUERY has 5 bytes after returnFieldsSelector (expected: 0)");
    }

    @Test
    void refusesATruncatedSelector() {
        byte[] frame = RawFrame.header(1, 0, OpCode.OP_QUERY.code()).i32(0).cstring("db.c").i32(0).i32(0)
                .doc(doc("{}")).u8(9).u8(0).build();
        assertThat(parseError(frame)).hasMessage(
                "OP_QUERY returnFieldsSelector length: missing (2 bytes left in the message, expected: >= 5)");
    }

    @Test
    void refusesInvalidBsonInTheQuery() {
        byte[] document = bsonBytes(doc("{isMaster: 1}"));
        document[4] = 0x60;
        byte[] frame = RawFrame.header(1, 0, OpCode.OP_QUERY.code()).i32(0).cstring("admin.$cmd").i32(0).i32(-1)
                .bytes(document).build();
        WireProtocolException e = parseError(frame);
        assertThat(e).hasMessageStartingWith("invalid BSON in OP_QUERY query: ");
        assertThat(e.isFatal()).isFalse();
    }

    @Test
    void refusesAMessageTooShortForItsFixedFields() {
        byte[] frame = RawFrame.header(1, 0, OpCode.OP_QUERY.code()).i32(0).cstring("a").i32(0).build();
        assertThat(parseError(frame)).hasMessage("OP_QUERY messageLength: 26 (expected: >= 35)");
    }
}
