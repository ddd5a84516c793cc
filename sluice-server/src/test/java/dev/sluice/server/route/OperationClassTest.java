package dev.sluice.server.route;

import dev.sluice.server.topology.OperationKind;
import dev.sluice.server.wire.CommandBody;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OperationClassTest {

    /** A body that fails the test if it is decoded. */
    private static final CommandBody UNREAD = () -> {
        throw new AssertionError("the command was decoded");
    };

    @Test
    void readsAndWritesKnownByNameNeverDecodeTheCommand() {
        assertThat(OperationClass.of("find", UNREAD)).isEqualTo(OperationKind.READ);
        assertThat(OperationClass.of("count", UNREAD)).isEqualTo(OperationKind.READ);
        assertThat(OperationClass.of("insert", UNREAD)).isEqualTo(OperationKind.WRITE);
        assertThat(OperationClass.of("update", UNREAD)).isEqualTo(OperationKind.WRITE);
    }

    @Test
    void anAggregateOrExplainIsClassifiedByItsDocument() {
        assertThat(OperationClass.of("aggregate", body("{aggregate: 'c', pipeline: [{$match: {}}]}")))
                .isEqualTo(OperationKind.READ);
        assertThat(OperationClass.of("aggregate", body("{aggregate: 'c', pipeline: [{$match: {}}, {$out: 'd'}]}")))
                .isEqualTo(OperationKind.WRITE);
        assertThat(OperationClass.of("explain", body("{explain: {find: 'c'}}"))).isEqualTo(OperationKind.READ);
        assertThat(OperationClass.of("explain", body("{explain: {aggregate: 'c', pipeline: [{$merge: 'd'}]}}")))
                .isEqualTo(OperationKind.WRITE);
    }

    private static CommandBody body(String json) {
        return CommandBody.of(BsonDocument.parse(json));
    }
}
