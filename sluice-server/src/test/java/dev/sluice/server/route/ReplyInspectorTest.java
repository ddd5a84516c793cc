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
}
