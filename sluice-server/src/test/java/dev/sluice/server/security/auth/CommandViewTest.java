package dev.sluice.server.security.auth;

import dev.sluice.server.security.authz.CommandPrivileges;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class CommandViewTest {
    private static final String[] COMMANDS = {
        "{find: 'orders', filter: {a: {$gt: 1}}, limit: 10, lsid: {id: 1}, $db: 'shop'}",
        "{find: UUID('00000000-0000-4000-8000-000000000000'), $db: 'shop'}",
        "{insert: 'orders', documents: [{}], bypassDocumentValidation: true}",
        "{update: 'orders', updates: [{q: {}, u: {}, upsert: true}], ordered: false}",
        "{delete: 'orders', deletes: [{q: {}, limit: 0}]}",
        "{findAndModify: 'orders', query: {}, update: {}, upsert: true, bypassDocumentValidation: true}",
        "{findAndModify: 'orders', query: {}, remove: true}",
        "{aggregate: 'orders', pipeline: [{$lookup: {from: {db: 'vault', coll: 'keys'}, as: 'k', pipeline: []}},"
                + " {$out: {db: 'arch', coll: 'o'}}], cursor: {}, bypassDocumentValidation: true}",
        "{aggregate: 1, pipeline: [{$currentOp: {allUsers: true}}], cursor: {}}",
        "{getMore: {$numberLong: '7'}, collection: 'orders'}", "{killCursors: 'orders', cursors: [7]}",
        "{createIndexes: 'orders', indexes: []}", "{create: 'v', viewOn: 'orders', pipeline: [{$match: {}}]}",
        "{create: 'c', capped: true, size: 4096}", "{renameCollection: 'shop.a', to: 'blog.b', dropTarget: true}",
        "{listCollections: 1, authorizedCollections: true, nameOnly: true}", "{listDatabases: 1, authorizedDatabases: false}",
        "{explain: {find: 'orders'}, verbosity: 'queryPlanner'}", "{explain: {delete: 'orders', deletes: []}}",
        "{bulkWrite: 1, ops: [{insert: 0, document: {}}], nsInfo: [{ns: 'shop.orders'}]}",
        "{createUser: 'bob', pwd: 'x', roles: ['read', {role: 'readWrite', db: 'blog'}]}",
        "{usersInfo: {user: 'bob', db: 'shop'}, showCredentials: true}", "{dataSize: 'shop.orders'}",
        "{currentOp: 1, $ownOps: true}", "{filemd5: 1, root: 'fs'}", "{dropDatabase: 1}", "{}", "{ping: 1.5}",
        "{count: 'orders', query: {}, hint: 'x', $readPreference: {mode: 'secondary'}, maxTimeMS: {$numberLong: '5'}}"};

    @Test
    void everyLookupGivesWhatTheRawDocumentGivesAndSoDoesTheRequirement() {
        for (String json : COMMANDS) {
            RawBsonDocument raw = raw(BsonDocument.parse(json));
            assertSameAsRaw(raw, json);
        }
    }

    @Test
    void theFirstOfDuplicateKeysAndEveryTypeAsTheRawDocument() {
        Random random = new Random(7);
        for (int round = 0; round < 2_000; round++) {
            List<byte[]> elements = new ArrayList<>();
            List<String> keys = List.of("find", "insert", "update", "a", "b", "$db", "pipeline", "upsert", "x");
            int count = random.nextInt(8);
            for (int i = 0; i < count; i++) { // duplicates on purpose: a small set of keys
                elements.add(element(keys.get(random.nextInt(keys.size())), value(random)));
            }
            byte[] bytes = document(elements);
            RawBsonDocument raw = new RawBsonDocument(bytes);
            assertSameAsRaw(raw, raw.toJson());
        }
    }

    @Test
    void largeOrNonRawCommandsAreLeftAsTheyAre() {
        BsonDocument plain = BsonDocument.parse("{find: 'orders'}");
        assertThat(CommandView.of(plain)).isSameAs(plain);
        RawBsonDocument large = raw(new BsonDocument("find", new BsonString("x".repeat(CommandView.MAX_BYTES))));
        assertThat(CommandView.of(large)).isSameAs(large);
    }

    private static void assertSameAsRaw(RawBsonDocument raw, String what) {
        BsonDocument view = CommandView.of(raw);
        assertThat(view).as(what).isNotSameAs(raw);
        assertThat(view.isEmpty()).as(what).isEqualTo(raw.isEmpty());
        if (!raw.isEmpty()) {
            assertThat(view.getFirstKey()).as(what).isEqualTo(raw.getFirstKey());
        }
        for (String key : raw.keySet()) {
            assertThat(view.get(key)).as(what + " ." + key).isEqualTo(raw.get(key));
            assertThat(view.containsKey(key)).isTrue();
        }
        assertThat(view.get("absent")).isNull();
        assertThat(view.containsKey("absent")).isFalse();
        for (String db : List.of("shop", "admin")) {
            assertThat(CommandPrivileges.of(view, db)).as(what + " on " + db).isEqualTo(CommandPrivileges.of(raw, db));
        }
    }

    private static BsonValue value(Random random) {
        return switch (random.nextInt(14)) {
            case 0 -> new BsonString("s" + random.nextInt(5));
            case 1 -> new BsonString("caf\u00e9 \u2168");
            case 2 -> new BsonInt32(random.nextInt());
            case 3 -> new BsonInt64(random.nextLong());
            case 4 -> new BsonDouble(random.nextDouble());
            case 5 -> BsonBoolean.valueOf(random.nextBoolean());
            case 6 -> BsonNull.VALUE;
            case 7 -> new BsonDocument("u", new BsonInt32(random.nextInt(3))).append("upsert", BsonBoolean.TRUE);
            case 8 -> new BsonArray(List.of(new BsonDocument("q", new BsonDocument()).append("upsert",
                    BsonBoolean.valueOf(random.nextBoolean()))));
            case 9 -> new BsonObjectId();
            case 10 -> new BsonBinary(new byte[] {1, 2, 3});
            case 11 -> new BsonDateTime(random.nextLong());
            case 12 -> new BsonRegularExpression("a.*", "i");
            default -> random.nextBoolean() ? new BsonTimestamp(random.nextLong())
                    : new BsonDecimal128(Decimal128.parse("1.5"));
        };
    }

    /** The bytes of one element {@code key: value}. */
    private static byte[] element(String key, BsonValue value) {
        byte[] doc = bytes(raw(new BsonDocument(key, value)));
        byte[] element = new byte[doc.length - 5];
        System.arraycopy(doc, 4, element, 0, element.length);
        return element;
    }

    private static byte[] document(List<byte[]> elements) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[4]);
        for (byte[] e : elements) {
            out.writeBytes(e);
        }
        out.write(0);
        byte[] bytes = out.toByteArray();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(0, bytes.length);
        return bytes;
    }

    private static RawBsonDocument raw(BsonDocument doc) {
        return new RawBsonDocument(doc, new BsonDocumentCodec());
    }

    private static byte[] bytes(RawBsonDocument raw) {
        ByteBuffer nio = raw.getByteBuffer().asNIO();
        byte[] b = new byte[nio.remaining()];
        nio.get(b);
        return b;
    }
}
