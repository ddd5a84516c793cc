package dev.sluice.server.wire;

import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDbPointer;
import org.bson.BsonDocument;
import org.bson.BsonJavaScriptWithScope;
import org.bson.BsonRegularExpression;
import org.bson.BsonSymbol;
import org.bson.BsonUndefined;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The in-place validator accepts exactly what the reader-based reference ({@link ReaderBsonValidator}, what
 * org.bson's {@code BsonBinaryReader} reads without error) accepts: on documents of every BSON type and on
 * mutations of them (fixed seed, bounded count).
 */
class BsonValidatorTest {
    private static final long SEED = 0xb5_0_2026L;
    private static final int MUTATIONS = 100_000;

    private static byte[] bytes(BsonDocument doc) {
        RawBsonDocument raw = new RawBsonDocument(doc, new BsonDocumentCodec());
        byte[] out = new byte[raw.getByteBuffer().remaining()];
        raw.getByteBuffer().get(out);
        return out;
    }

    private static List<byte[]> seeds() {
        BsonDocument all = BsonDocument.parse("{insert: 'people', ordered: true, lsid: {id: {$binary: {base64: "
                + "'AAECAwQFBgcICQoLDA0ODw==', subType: '04'}}}, txnNumber: {$numberLong: '7'}, $db: 'test',"
                + " n: {a: [1, 'two', {three: 3.0}, [], {}], b: null, d: {$date: 1}, ts: {$timestamp: {t: 1, i: 2}},"
                + " dec: {$numberDecimal: '1.5'}, min: {$minKey: 1}, max: {$maxKey: 1}, s: ''}}");
        all.append("oid", new org.bson.BsonObjectId(new ObjectId()))
                .append("re", new BsonRegularExpression("^a.*", "i"))
                .append("js", new org.bson.BsonJavaScript("function() {}"))
                .append("jss", new BsonJavaScriptWithScope("x", BsonDocument.parse("{x: 1, y: [2]}")))
                .append("sym", new BsonSymbol("s"))
                .append("undef", new BsonUndefined())
                .append("ptr", new BsonDbPointer("db.c", new ObjectId()))
                .append("old", new BsonBinary(BsonBinarySubType.OLD_BINARY, new byte[] {1, 2, 3}))
                .append("bin", new BsonBinary(new byte[] {9}));
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(bytes(all));
        seeds.add(bytes(BsonDocument.parse("{find: 'items', filter: {}, limit: 1, singleBatch: true, $db: 'bench'}")));
        seeds.add(bytes(new BsonDocument()));
        seeds.add(bytes(BsonDocument.parse("{a: {b: {c: {d: [[[{e: 1}]]]}}}}")));
        return seeds;
    }

    private static boolean referenceAccepts(byte[] b, int offset, int length) {
        try {
            ReaderBsonValidator.validate(b, offset, length);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean accepts(byte[] b, int offset, int length) {
        try {
            BsonValidator.validate(b, offset, length);
            return true;
        } catch (org.bson.BsonSerializationException e) {
            return false;
        }
    }

    @Test
    void acceptsEveryTypeOfValidDocument() {
        for (byte[] seed : seeds()) {
            BsonValidator.validate(seed, 0, seed.length);
            byte[] shifted = new byte[seed.length + 7];
            System.arraycopy(seed, 0, shifted, 3, seed.length);
            BsonValidator.validate(shifted, 3, seed.length);
        }
    }

    @Test
    void refusesWithTheByteAndTheRule() {
        byte[] b = bytes(BsonDocument.parse("{t: true}"));
        b[b.length - 2] = 2;
        assertThatThrownBy(() -> BsonValidator.validate(b, 0, b.length))
                .hasMessage("at byte 7: boolean byte 2 (expected: 0 or 1)");
        byte[] c = bytes(BsonDocument.parse("{a: 1}"));
        assertThatThrownBy(() -> BsonValidator.validate(c, 0, c.length - 1))
                .hasMessageContaining("document size " + c.length);
    }

    @Test
    void deepNestingNeedsNoStack() {
        int depth = 100_000;
        byte[] b = new byte[depth * 7 + 5];
        int at = 0;
        for (int i = 0; i < depth; i++) { // {"": {"": ... {} }}
            int size = b.length - 2 * i - 5 * i;
            b[at] = (byte) size;
            b[at + 1] = (byte) (size >>> 8);
            b[at + 2] = (byte) (size >>> 16);
            b[at + 3] = (byte) (size >>> 24);
            b[at + 4] = 3;
            b[at + 5] = 0;
            at += 6;
        }
        b[at] = 5;
        for (int i = at + 4; i < b.length; i++) {
            b[i] = 0;
        }
        BsonValidator.validate(b, 0, b.length);
        assertThat(referenceAccepts(b, 0, b.length)).isTrue();
    }

    @Test
    void agreesWithTheReaderOnMutatedDocuments() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<byte[]> seeds = seeds();
        int accepted = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] b = mutate(seeds.get(random.nextInt(seeds.size())), random);
            boolean expected = referenceAccepts(b, 0, b.length);
            assertThat(accepts(b, 0, b.length)).as("mutation %d: %s", i, Arrays.toString(b)).isEqualTo(expected);
            if (expected) {
                accepted++;
            }
        }
        assertThat(accepted).as("some mutations stay valid").isPositive();
    }

    private static byte[] mutate(byte[] seed, SplittableRandom random) {
        byte[] b = seed.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(4)) {
                case 0 -> b[at] = (byte) random.nextInt(256);
                case 1 -> b[at] = (byte) new int[] {0, 1, 2, 3, 4, 5, 0x7f, 0x80, 0xff, 0x10, 0x12, 0x13, 0x0f}[random.nextInt(13)];
                case 2 -> b[at] = (byte) (b[at] + (random.nextBoolean() ? 1 : -1));
                default -> b = Arrays.copyOf(b, Math.max(1, b.length + random.nextInt(5) - 2));
            }
        }
        return b;
    }
}
