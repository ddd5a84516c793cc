package dev.sluice.server.topology;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadPreferenceTest {

    private static ReadPreference parse(String json) {
        return ReadPreference.parse(BsonDocument.parse(json));
    }

    @Test
    void parsesWhatDriversSend() {
        ReadPreference rp = parse("{mode: 'secondaryPreferred', tags: [{dc: 'ny', rack: '1'}, {}], "
                + "maxStalenessSeconds: 120, hedge: {enabled: true}}");
        assertThat(rp.mode()).isEqualTo(ReadPreferenceMode.SECONDARY_PREFERRED);
        assertThat(rp.tagSets()).containsExactly(Map.of("dc", "ny", "rack", "1"), Map.of());
        assertThat(rp.maxStalenessSeconds()).hasValue(120);
        assertThat(parse("{}")).isEqualTo(ReadPreference.PRIMARY);
        assertThat(parse("{mode: 'primary', tags: [{}]}").tagSets()).containsExactly(Map.of());
        assertThat(parse("{mode: 'nearest', maxStalenessSeconds: 0}").maxStalenessSeconds()).isEmpty();
        assertThat(parse("{mode: 'nearest', maxStalenessSeconds: 90.0}").maxStalenessSeconds()).hasValue(90);
    }

    @Test
    void refusesWhatMongosRefusesWithItsCodes() {
        assertError("{mode: 'Secondary'}", 9, "Could not parse $readPreference mode 'Secondary'");
        assertError("{mode: 1}", 9, "mode must be a string");
        assertError("{mode: 'primary', tags: [{dc: 'ny'}]}", 9, "Only empty tags are allowed with primary");
        assertError("{mode: 'primary', maxStalenessSeconds: 120}", 9, "mode primary does not allow for maxStalenessSeconds");
        assertError("{mode: 'secondary', tags: {dc: 'ny'}}", 9, "tags must be an array");
        assertError("{mode: 'secondary', tags: [{dc: 1}]}", 9, "tag 'dc' must be a string");
        assertError("{mode: 'secondary', maxStalenessSeconds: -1}", 2, "non-negative integer");
        assertError("{mode: 'secondary', maxStalenessSeconds: 100.5}", 2, "non-negative integer");
        assertError("{mode: 'secondary', maxStalenessSeconds: 'x'}", 9, "must be a number");
        assertError("{mode: 'secondary', maxStalenessSeconds: 89}", 160, "can not be less than 90");
        assertThatThrownBy(() -> ReadPreference.parse(new BsonString("secondary")))
                .isInstanceOf(ReadPreferenceException.class).hasMessageContaining("must be an object");
    }

    @Test
    void modesRoundTripTheirWireNames() {
        for (ReadPreferenceMode m : ReadPreferenceMode.values()) {
            assertThat(ReadPreferenceMode.fromWireName(m.wireName())).isEqualTo(m);
        }
        assertThat(new ReadPreference(ReadPreferenceMode.NEAREST, List.of(), null).maxStalenessSeconds()).isEmpty();
    }

    private static void assertError(String json, int code, String message) {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(ReadPreferenceException.class,
                e -> assertThat(e.code()).as(json).isEqualTo(code)).hasMessageContaining(message);
    }
}
