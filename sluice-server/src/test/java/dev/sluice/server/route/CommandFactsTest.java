package dev.sluice.server.route;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommandFactsTest {

    @Test
    void readsNameDatabaseAndTransactionFieldsInOnePass() {
        CommandFacts f = CommandFacts.of(BsonDocument.parse("{insert: 'c', documents: [{a: 1}], lsid: {id: 1},"
                + " txnNumber: {$numberLong: '7'}, autocommit: false, startTransaction: true, $db: 'shop'}"));
        assertThat(f.name()).isEqualTo("insert");
        assertThat(f.database()).isEqualTo("shop");
        assertThat(f.hasLsid()).isTrue();
        assertThat(f.txnNumber()).isEqualTo(7);
        assertThat(f.inTransaction()).isTrue();
        assertThat(f.startTransaction()).isTrue();
    }

    @Test
    void readsTheGetMoreCursorIdExactly() {
        CommandFacts f = CommandFacts.of(BsonDocument.parse("{getMore: {$numberLong: '9007199254740993'}, collection: 'c', $db: 'd'}"));
        assertThat(f.cursorId()).isEqualTo(9_007_199_254_740_993L);
        assertThat(f.inTransaction()).isFalse();
    }

    @Test
    void retryableWriteOutsideATransactionIsNotInOne() {
        CommandFacts f = CommandFacts.of(BsonDocument.parse("{insert: 'c', lsid: {id: 1}, txnNumber: 3, $db: 'd'}"));
        assertThat(f.txnNumber()).isEqualTo(3);
        assertThat(f.inTransaction()).isFalse();
        assertThat(CommandFacts.of(new BsonDocument()).name()).isEmpty();
        assertThat(CommandFacts.of(BsonDocument.parse("{ping: 1, $db: 5}")).database()).isNull();
    }

    @Test
    void onlyWritesWithLsidAndTxnNumberOutsideATransactionAreRetryableWrites() {
        assertThat(CommandFacts.of(BsonDocument.parse("{findAndModify: 'c', lsid: {id: 1}, txnNumber: 3, $db: 'd'}"))
                .isRetryableWrite()).isTrue();
        assertThat(CommandFacts.of(BsonDocument.parse("{insert: 'c', lsid: {id: 1}, txnNumber: 3, autocommit: false, $db: 'd'}"))
                .isRetryableWrite()).as("a transaction statement").isFalse();
        assertThat(CommandFacts.of(BsonDocument.parse("{insert: 'c', lsid: {id: 1}, $db: 'd'}")).isRetryableWrite()).isFalse();
        assertThat(CommandFacts.of(BsonDocument.parse("{find: 'c', lsid: {id: 1}, txnNumber: 3, $db: 'd'}"))
                .isRetryableWrite()).isFalse();
    }

    @Test
    void readsTheFactsOfAParsedBodyInPlaceAsTheDocumentApiSeesThem() {
        for (String json : new String[] {
                "{find: 'c', filter: {a: {$gt: 1}}, $readPreference: {mode: 'secondary'}, $db: 'shop'}",
                "{insert: 'c', documents: [{a: 1}], lsid: {id: 1}, txnNumber: {$numberLong: '7'}, autocommit: false,"
                        + " startTransaction: true, $db: 'shop'}",
                "{getMore: {$numberLong: '42'}, collection: 'c', $db: 'd'}",
                "{getMore: 42, collection: 'c', $db: 'd', txnNumber: 3, lsid: 'not a document'}",
                "{ping: 1, $db: 5}", "{}", "{$db: 'first'}", "{find: 'c', $dbx: 'x', $db: 'y', $readPreferenceX: 1}"}) {
            BsonDocument body = BsonDocument.parse(json);
            io.netty.buffer.ByteBuf frame = dev.sluice.server.wire.OpMsg.encode(
                    io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, 1, 0, 0, body);
            try {
                byte[] bytes = dev.sluice.server.wire.OpMsg.parse(frame).bodyBytes();
                assertThat(CommandFacts.ofBody(bytes)).as(json).isEqualTo(reference(body));
                assertThat(CommandFacts.of(body)).as(json).isEqualTo(reference(body));
            } finally {
                frame.release();
            }
        }
        assertThat(CommandFacts.of(BsonDocument.parse("{find: 'c', $readPreference: {mode: 'nearest'}, $db: 'd'}"))
                .hasReadPreference()).isTrue();
        assertThat(CommandFacts.of(BsonDocument.parse("{find: 'c', $db: 'd'}")).hasReadPreference()).isFalse();
    }

    @Test
    void equalFactsOfRecentRequestsAreSharedAndFactsThatDifferNeverAre() {
        CommandFacts find = CommandFacts.of(BsonDocument.parse("{find: 'c', filter: {a: 1}, lsid: {id: 1}, $db: 'shop'}"));
        assertThat(CommandFacts.of(BsonDocument.parse("{find: 'other', lsid: {id: 2}, $db: 'shop'}"))).isSameAs(find);
        // every fact counts: each of these differs from the find above in one of them
        String[] others = {"{find: 'c', $db: 'shop'}", "{find: 'c', lsid: {id: 1}, $db: 'shop2'}",
                "{find: 'c', lsid: {id: 1}}", "{aggregate: 'c', lsid: {id: 1}, $db: 'shop'}",
                "{find: 'c', lsid: {id: 1}, $readPreference: {mode: 'nearest'}, $db: 'shop'}",
                "{find: 'c', lsid: {id: 1}, autocommit: false, $db: 'shop'}",
                "{find: 'c', lsid: {id: 1}, startTransaction: true, $db: 'shop'}",
                "{find: 'c', lsid: {id: 1}, txnNumber: -5, $db: 'shop'}",
                "{find: 'c', lsid: {id: 1}, txnNumber: 4, $db: 'shop'}",
                "{getMore: {$numberLong: '42'}, collection: 'c', lsid: {id: 1}, $db: 'shop'}"};
        for (String json : others) {
            BsonDocument body = BsonDocument.parse(json);
            CommandFacts facts = CommandFacts.of(body);
            assertThat(facts).as(json).isNotSameAs(find).isNotEqualTo(find).isEqualTo(reference(body));
            assertThat(CommandFacts.of(body)).as(json).isEqualTo(reference(body)); // seen again: still right
        }
        // 1,000 distinct names overwrite the table's slots: every answer stays equal to a fresh reading
        for (int i = 0; i < 1000; i++) {
            BsonDocument body = BsonDocument.parse("{cmd" + i + ": 1, $db: 'd" + (i % 7) + "'}");
            assertThat(CommandFacts.of(body)).isEqualTo(reference(body));
        }
        assertThat(CommandFacts.of(BsonDocument.parse("{find: 'c', lsid: {id: 1}, $db: 'shop'}"))).isEqualTo(find);
    }

    @Test
    void aMalformedBodyGivesWhatWasReadAndNeverThrows() {
        byte[] good = new org.bson.RawBsonDocument(BsonDocument.parse(
                "{getMore: {$numberLong: '42'}, collection: 'c', lsid: {id: 1}, txnNumber: 3, $db: 'd'}"),
                new org.bson.codecs.BsonDocumentCodec()).getByteBuffer().array();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] bad = java.util.Arrays.copyOf(good, 1 + random.nextInt(good.length + 8));
            for (int flips = random.nextInt(4); flips >= 0; flips--) {
                bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
            }
            CommandFacts facts = CommandFacts.ofBody(bad);
            assertThat(facts.name()).isNotNull();
        }
    }

    /** The facts as read through org.bson's document API: what the in-place walk must agree with. */
    private static CommandFacts reference(BsonDocument body) {
        String name = body.isEmpty() ? "" : body.getFirstKey();
        org.bson.BsonValue db = body.get("$db");
        org.bson.BsonValue getMore = body.get("getMore");
        org.bson.BsonValue txn = body.get("txnNumber");
        org.bson.BsonValue start = body.get("startTransaction");
        return new CommandFacts(name, db != null && db.isString() ? db.asString().getValue() : null,
                "getMore".equals(name) && (getMore.isInt32() || getMore.isInt64()) ? getMore.asNumber().longValue() : 0,
                body.get("lsid") instanceof BsonDocument,
                txn != null && (txn.isInt32() || txn.isInt64()) ? txn.asNumber().longValue() : -1,
                body.containsKey("autocommit"), start != null && start.isBoolean() && start.asBoolean().getValue(),
                body.containsKey("$readPreference"));
    }

    @Test
    void nonAsciiAndLongNamesAreDecodedAsUtf8() {
        String longName = "x".repeat(100);
        assertThat(CommandFacts.of(BsonDocument.parse("{'caf\u00e9': 1, $db: 'd\u00e9j\u00e0'}")))
                .extracting(CommandFacts::name, CommandFacts::database).containsExactly("caf\u00e9", "d\u00e9j\u00e0");
        assertThat(CommandFacts.of(BsonDocument.parse("{" + longName + ": 1, $db: 'd'}")).name()).isEqualTo(longName);
    }

    @Test
    void aNameSeenBeforeIsTheSameString() {
        CommandFacts first = CommandFacts.of(BsonDocument.parse("{find: 'c', $db: 'inventory'}"));
        CommandFacts second = CommandFacts.of(BsonDocument.parse("{find: 'd', $db: 'inventory'}"));
        assertThat(second.name()).isSameAs(first.name()).isEqualTo("find");
        assertThat(second.database()).isSameAs(first.database()).isEqualTo("inventory");
        assertThat(CommandFacts.of(BsonDocument.parse("{find: 'c', $db: 'caf\u00e9'}")).database()).isEqualTo("caf\u00e9");
    }
}
