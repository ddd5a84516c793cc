package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RawBsonTest {

    @Test
    void readsLittleEndianNumbersFromAnArrayAsByteBufferDoes() {
        Random random = new Random(3);
        byte[] bytes = new byte[64];
        for (int round = 0; round < 1_000; round++) {
            random.nextBytes(bytes);
            ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int at = random.nextInt(bytes.length - 8);
            assertThat(RawBson.intLE(bytes, at)).isEqualTo(le.getInt(at));
            assertThat(RawBson.longLE(bytes, at)).isEqualTo(le.getLong(at));
        }
        assertThatThrownBy(() -> RawBson.intLE(bytes, bytes.length - 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void theArrayWalkAgreesWithTheByteBufWalkAndChecksEverySize() {
        byte[] doc = WireTestBase.bsonBytes(WireTestBase.doc(
                "{a: 1, b: 'x', c: {d: [1, 2]}, e: {$regularExpression: {pattern: 'p', options: 'i'}}, f: null}"));
        ByteBuf buf = Unpooled.wrappedBuffer(doc);
        int end = doc.length - 1;
        for (int at = 4; at < end; ) {
            int valueInArray = RawBson.keyEnd(doc, at + 1, end);
            assertThat(valueInArray).isEqualTo(RawBson.keyEnd(buf, at + 1, end));
            int size = RawBson.valueSize(doc, doc[at], valueInArray, end);
            assertThat(size).isEqualTo(RawBson.valueSize(buf, doc[at], valueInArray, end));
            at = valueInArray + size;
        }
        assertThat(RawBson.keyIs(doc, 5, "a")).isTrue();
        assertThat(RawBson.keyIs(doc, 5, "ab")).isFalse();
        assertThatThrownBy(() -> RawBson.valueSize(doc, (byte) 0x02, 4, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RawBson.keyEnd(doc, 5, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
