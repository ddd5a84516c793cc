package dev.sluice.server.admin;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArrayArgumentsTest {

    /** As the session hands it over: raw BSON, where get(i) re-scans from the start. */
    private static BsonValue raw(String field, List<BsonValue> elements) {
        BsonDocument doc = new BsonDocument(field, new BsonArray(elements));
        return new RawBsonDocument(doc, new BsonDocumentCodec()).get(field);
    }

    private static List<BsonValue> ids(int n) {
        List<BsonValue> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(new BsonString("mongodb-" + i));
        }
        return ids;
    }

    @Test
    void readsTwoHundredThousandIdsFromRawBsonInOrder() {
        List<String> parsed = ArrayArguments.strings(raw("killConnections", ids(200_000)), "killConnections", 200_000);

        assertThat(parsed).hasSize(200_000);
        assertThat(parsed.get(0)).isEqualTo("mongodb-0");
        assertThat(parsed.get(123_456)).isEqualTo("mongodb-123456");
        assertThat(parsed.get(199_999)).isEqualTo("mongodb-199999");
    }

    @Test
    void moreThanMaxAdminIdsIsBadValueNamingTheSettingAndTheCount() {
        assertThatThrownBy(() -> ArrayArguments.strings(raw("killConnections", ids(100_001)), "killConnections",
                100_000))
                .isInstanceOfSatisfying(CommandFailure.class, f -> assertThat(f.toReply())
                        .isEqualTo(BsonDocument.parse("{ok: 0.0, errmsg: \"BSON field 'killConnections' has 100001 "
                                + "elements, more than maxAdminIds (100000); send them in several commands or raise "
                                + "maxAdminIds\", code: 2, codeName: 'BadValue'}")));
        assertThat(ArrayArguments.strings(raw("killConnections", ids(100_000)), "killConnections", 100_000))
                .hasSize(100_000);
    }

    @Test
    void aNonStringElementIsTypeMismatchNamingItsIndex() {
        List<BsonValue> elements = ids(5);
        elements.set(3, new BsonInt32(7));
        assertThatThrownBy(() -> ArrayArguments.strings(raw("hostAndPort", elements), "dropConnections.hostAndPort", 10))
                .isInstanceOfSatisfying(CommandFailure.class, f -> assertThat(f.getMessage()).isEqualTo(
                        "BSON field 'dropConnections.hostAndPort.3' is the wrong type 'int', expected type 'string'"));
    }

    @Test
    void aMissingOrNonArrayArgumentIsNamed() {
        assertThatThrownBy(() -> ArrayArguments.strings(null, "dropConnections.hostAndPort", 10))
                .hasMessage("BSON field 'dropConnections.hostAndPort' is missing but a required field");
        assertThatThrownBy(() -> ArrayArguments.strings(new BsonString("x"), "killConnections", 10))
                .hasMessage("BSON field 'killConnections' is the wrong type 'string', expected type 'array'");
    }

    @Test
    void cursorIdsAreIntegralNumbersOfAnyNumericType() {
        BsonValue cursors = raw("cursors", List.of(new BsonInt32(1), new org.bson.BsonInt64(2),
                new org.bson.BsonDouble(3)));
        assertThat(ArrayArguments.longs(cursors, "killCursors.cursors", 10)).containsExactly(1L, 2L, 3L);
        assertThatThrownBy(() -> ArrayArguments.longs(raw("cursors", List.of(new org.bson.BsonDouble(1.5))),
                "killCursors.cursors", 10))
                .hasMessage("BSON field 'killCursors.cursors.0' is the wrong type 'double', expected type 'long'");
        assertThatThrownBy(() -> ArrayArguments.longs(raw("cursors", List.of(new BsonInt32(1), new BsonInt32(2))),
                "killCursors.cursors", 1))
                .hasMessageContaining("has 2 elements, more than maxAdminIds (1)");
    }
}
