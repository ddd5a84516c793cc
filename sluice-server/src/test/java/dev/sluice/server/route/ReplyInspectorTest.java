package dev.sluice.server.route;

import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplyInspectorTest {

    private static ReplyInspector.CursorInfo inspect(String json) {
        ByteBuf frame = OpMsg.encode(UnpooledByteBufAllocator.DEFAULT, 1, 2, 0, BsonDocument.parse(json));
        try {
            return ReplyInspector.inspect(frame);
        } finally {
            frame.release();
        }
    }

    @Test
    void readsCursorIdAndNamespaceExactly() {
        ReplyInspector.CursorInfo info = inspect("{cursor: {firstBatch: [{a: 1}], id: {$numberLong: '9007199254740993'}, ns: 'db.c'}, ok: 1}");
        assertThat(info.ok()).isTrue();
        assertThat(info.cursorId()).isEqualTo(9_007_199_254_740_993L);
        assertThat(info.namespace()).isEqualTo("db.c");
    }

    @Test
    void replyWithoutCursorHasIdZero() {
        assertThat(inspect("{n: 1, ok: 1.0}").cursorId()).isZero();
        assertThat(inspect("{ok: 0, errmsg: 'x'}").ok()).isFalse();
    }

    private static ReplyInspector.Codes codes(String json) {
        ByteBuf frame = OpMsg.encode(UnpooledByteBufAllocator.DEFAULT, 1, 2, 0, BsonDocument.parse(json));
        try {
            return ReplyInspector.codes(frame);
        } finally {
            frame.release();
        }
    }

    @Test
    void readsTheCodesOfAnErrorAndOfAWriteConcernError() {
        assertThat(codes("{n: 1, ok: 1.0}")).isEqualTo(new ReplyInspector.Codes(true, null, null));
        assertThat(codes("{ok: 0, errmsg: 'not primary', code: 10107, codeName: 'NotWritablePrimary'}"))
                .isEqualTo(new ReplyInspector.Codes(false, 10107, null));
        assertThat(codes("{n: 1, writeConcernError: {code: {$numberLong: '91'}, errmsg: 'shutting down'}, ok: 1}"))
                .isEqualTo(new ReplyInspector.Codes(true, null, 91));
        assertThat(codes("{ok: true, code: 'not a number'}")).isEqualTo(new ReplyInspector.Codes(true, null, null));
        assertThat(codes("{ok: 'yes'}").ok()).isFalse();
    }

    @Test
    void anExhaustedCursorHasNoNamespaceAndNestedFieldsAreNotTakenForTopLevelOnes() {
        ReplyInspector.CursorInfo info = inspect("{cursor: {firstBatch: [{ok: 0, id: 5}], id: 0, ns: 'db.c'}, ok: 1}");
        assertThat(info).isEqualTo(new ReplyInspector.CursorInfo(true, 0, null));
        assertThat(inspect("{cursor: {nextBatch: [], id: 7, ns: 'db.c'}, ok: 1, x: {$regularExpression: "
                + "{pattern: 'a', options: 'i'}}}")).isEqualTo(new ReplyInspector.CursorInfo(true, 7, "db.c"));
    }
}
