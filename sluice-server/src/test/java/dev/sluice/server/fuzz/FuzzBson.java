package dev.sluice.server.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonUndefined;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/** Builds BSON values from fuzzer input: every BSON type, bounded depth and size. */
final class FuzzBson {
    /** Strings that mean something to Sluice, so the fuzzer reaches the interesting branches sooner. */
    static final String[] WORDS = {"admin", "test", "mongodb-1", "mongodb-2", "http-1", "127.0.0.1:1",
            "hostAndPort", "comment", "lsid", "txnNumber", "autocommit", "startTransaction", "$db", "cursors",
            "getMore", "collection", "id", "maxAwaitTimeMS", "topologyVersion", "processId", "counter",
            "compression", "snappy", "zlib", "zstd", "noop", "client", "application", "name", "driver", ""};

    private FuzzBson() {
    }

    static String string(FuzzedDataProvider data) {
        return data.consumeBoolean() ? data.pickValue(WORDS) : data.consumeString(24);
    }

    static BsonValue value(FuzzedDataProvider data, int depth) {
        int kind = data.consumeInt(0, depth <= 0 ? 17 : 19);
        switch (kind) {
            case 0: return new BsonInt32(data.consumeInt());
            case 1: return new BsonInt64(data.consumeLong());
            case 2: return new BsonDouble(data.consumeDouble());
            case 3: return new BsonString(string(data));
            case 4: return BsonBoolean.valueOf(data.consumeBoolean());
            case 5: return BsonNull.VALUE;
            case 6: return new BsonBinary((byte) data.consumeInt(0, 0x86), data.consumeBytes(16));
            case 7: return new BsonObjectId(new ObjectId(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                    data.consumeByte()}));
            case 8: return new BsonDateTime(data.consumeLong());
            case 9: return new BsonTimestamp(data.consumeLong());
            case 10: return new BsonDecimal128(Decimal128.fromIEEE754BIDEncoding(data.consumeLong(), data.consumeLong()));
            case 11: return new BsonRegularExpression(data.consumeString(8).replace("\0", ""), "i");
            case 12: return new BsonMinKey();
            case 13: return new BsonMaxKey();
            case 14: return new BsonUndefined();
            case 15: return new BsonInt32(data.pickValue(new int[] {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}));
            case 16: return new BsonDouble(data.pickValue(new double[] {0, 1, -0.0, Double.NaN,
                    Double.POSITIVE_INFINITY, 1e300, 0.5}));
            case 17: return new BsonInt64(data.pickValue(new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE}));
            case 18: return document(data, depth - 1, 4);
            default: {
                BsonArray array = new BsonArray();
                int n = data.consumeInt(0, 4);
                for (int i = 0; i < n; i++) {
                    array.add(value(data, depth - 1));
                }
                return array;
            }
        }
    }

    /** A document of up to {@code maxFields} fields; keys are BSON-legal (no NUL). */
    static BsonDocument document(FuzzedDataProvider data, int depth, int maxFields) {
        BsonDocument doc = new BsonDocument();
        int n = data.consumeInt(0, maxFields);
        for (int i = 0; i < n; i++) {
            doc.put(key(data), value(data, depth));
        }
        return doc;
    }

    static String key(FuzzedDataProvider data) {
        return string(data).replace("\0", "");
    }
}
