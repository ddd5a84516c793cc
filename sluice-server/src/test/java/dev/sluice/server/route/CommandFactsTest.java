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
    void readsTheFactsOfAnOpMsgFrameInPlaceAsOfItsBody() {
        for (String json : new String[] {
                "{find: 'c', filter: {a: {$gt: 1}}, $readPreference: {mode: 'secondary'}, $db: 'shop'}",
                "{insert: 'c', documents: [{a: 1}], lsid: {id: 1}, txnNumber: {$numberLong: '7'}, autocommit: false,"
                        + " startTransaction: true, $db: 'shop'}",
                "{getMore: {$numberLong: '42'}, collection: 'c', $db: 'd'}",
                "{ping: 1, $db: 5}", "{}"}) {
            BsonDocument body = BsonDocument.parse(json);
            io.netty.buffer.ByteBuf frame = dev.sluice.server.wire.OpMsg.encode(
                    io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, 1, 0, 0, body);
            try {
                assertThat(CommandFacts.ofFrame(frame)).as(json).isEqualTo(CommandFacts.of(body));
            } finally {
                frame.release();
            }
        }
        assertThat(CommandFacts.of(BsonDocument.parse("{find: 'c', $readPreference: {mode: 'nearest'}, $db: 'd'}"))
                .hasReadPreference()).isTrue();
        assertThat(CommandFacts.of(BsonDocument.parse("{find: 'c', $db: 'd'}")).hasReadPreference()).isFalse();
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
