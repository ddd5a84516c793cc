package dev.sluice.server.route;

import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplyInspectorTest {

    private static ReplyInspector.Facts inspect(String json) {
        ByteBuf frame = OpMsg.encode(UnpooledByteBufAllocator.DEFAULT, 1, 2, 0, BsonDocument.parse(json));
        try {
            return ReplyInspector.read(frame);
        } finally {
            frame.release();
        }
    }

    @Test
    void readsCursorIdAndNamespaceExactly() {
        ReplyInspector.Facts info = inspect("{cursor: {firstBatch: [{a: 1}], id: {$numberLong: '9007199254740993'}, ns: 'db.c'}, ok: 1}");
        assertThat(info.ok()).isTrue();
        assertThat(info.cursorId()).isEqualTo(9_007_199_254_740_993L);
        assertThat(info.namespace()).isEqualTo("db.c");
    }

    @Test
    void replyWithoutCursorHasIdZero() {
        assertThat(inspect("{n: 1, ok: 1.0}").cursorId()).isZero();
        assertThat(inspect("{ok: 0, errmsg: 'x'}").ok()).isFalse();
    }

    private static ReplyInspector.Facts codes(String json) {
        return inspect(json);
    }

    @Test
    void readsTheCodesOfAnErrorAndOfAWriteConcernError() {
        assertThat(codes("{n: 1, ok: 1.0}")).isEqualTo(new ReplyInspector.Facts(true, null, null, 0, null));
        assertThat(codes("{ok: 0, errmsg: 'not primary', code: 10107, codeName: 'NotWritablePrimary'}"))
                .isEqualTo(new ReplyInspector.Facts(false, 10107, null, 0, null));
        assertThat(codes("{n: 1, writeConcernError: {code: {$numberLong: '91'}, errmsg: 'shutting down'}, ok: 1}"))
                .isEqualTo(new ReplyInspector.Facts(true, null, 91, 0, null));
        assertThat(codes("{ok: true, code: 'not a number'}")).isEqualTo(new ReplyInspector.Facts(true, null, null, 0, null));
        assertThat(codes("{ok: 'yes'}").ok()).isFalse();
    }

    @Test
    void anExhaustedCursorHasNoNamespaceAndNestedFieldsAreNotTakenForTopLevelOnes() {
        ReplyInspector.Facts info = inspect("{cursor: {firstBatch: [{ok: 0, id: 5}], id: 0, ns: 'db.c'}, ok: 1}");
        assertThat(info).isEqualTo(new ReplyInspector.Facts(true, null, null, 0, null));
        assertThat(inspect("{cursor: {nextBatch: [], id: 7, ns: 'db.c'}, ok: 1, x: {$regularExpression: "
                + "{pattern: 'a', options: 'i'}}}")).isEqualTo(new ReplyInspector.Facts(true, null, null, 7, "db.c"));
    }

    @Test
    void oneWalkReadsTheCodesAndTheCursorTogetherAndAMalformedReplyIsNone() {
        assertThat(inspect("{cursor: {firstBatch: [], id: 9, ns: 'db.c'}, ok: 0, code: 50, "
                + "writeConcernError: {code: 64}}")).isEqualTo(new ReplyInspector.Facts(false, 50, 64, 9, "db.c"));
        ByteBuf frame = OpMsg.encode(UnpooledByteBufAllocator.DEFAULT, 1, 2, 0,
                BsonDocument.parse("{cursor: {firstBatch: [], id: 9, ns: 'db.c'}, ok: 1}"));
        try {
            int body = dev.sluice.server.wire.OpMsgBody.indexOf(frame);
            frame.setIntLE(body + 4 + 1 + "cursor".length() + 1, 1000); // the cursor document ends past its parent
            assertThat(ReplyInspector.read(frame)).isEqualTo(new ReplyInspector.Facts(false, null, null, 0, null));
        } finally {
            frame.release();
        }
    }
}
