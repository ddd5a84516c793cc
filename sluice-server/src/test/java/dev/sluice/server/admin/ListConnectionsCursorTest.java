package dev.sluice.server.admin;

import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.registry.ConnectionRegistry;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ListConnectionsCursorTest {
    private static final Instant START = Instant.parse("2024-05-01T10:00:00Z");

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        private Instant now = START;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private final TestClock clock = new TestClock();
    private final ConnectionRegistry registry = new ConnectionRegistry(clock);
    private final FakeConnections fakes = new FakeConnections(registry);
    private final AdminCommands commands = new AdminCommands(registry, new FakePoolDirectory(),
            new AdminSettings(1000, "7.0.0-sluice", "proxy1:27016", START, 1000, 8, 3, Duration.ofMinutes(10)), clock);

    private BsonDocument run(String json, ConnectionEntry caller) {
        BsonDocument command = BsonDocument.parse(json);
        return commands.execute(command.getFirstKey(), command, "admin", caller).reply();
    }

    private BsonDocument getMore(long id, Integer batchSize, ConnectionEntry caller) {
        return run("{getMore: {$numberLong: '" + id + "'}, collection: '$cmd.listConnections'"
                + (batchSize == null ? "" : ", batchSize: " + batchSize) + "}", caller);
    }

    private static List<String> ids(BsonArray batch) {
        List<String> ids = new ArrayList<>();
        for (BsonValue row : batch) {
            ids.add(row.asDocument().getString("connectionId").getValue());
        }
        return ids;
    }

    private List<ConnectionEntry> connections(int n) {
        List<ConnectionEntry> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(fakes.add("mongodb", "10.0.0." + i + ":1"));
        }
        return all;
    }

    @Test
    void upTo101RowsComeInTheFirstBatchWithCursorIdZero() {
        List<ConnectionEntry> all = connections(101);

        BsonDocument cursor = run("{listConnections: 1}", all.get(0)).getDocument("cursor");

        assertThat(cursor.get("id")).isEqualTo(new BsonInt64(0));
        assertThat(cursor.getString("ns").getValue()).isEqualTo("admin.$cmd.listConnections");
        assertThat(cursor.getArray("firstBatch")).hasSize(101);
    }

    @Test
    void moreThan101RowsOpenACursorThatGetMoreReadsToTheEnd() {
        List<ConnectionEntry> all = connections(250);
        ConnectionEntry caller = all.get(0);

        BsonDocument first = run("{listConnections: 1}", caller).getDocument("cursor");
        long id = first.getInt64("id").getValue();
        assertThat(id).isNotZero();
        assertThat(first.getArray("firstBatch")).hasSize(101);

        BsonDocument second = getMore(id, 100, caller);
        assertThat(second.getDocument("cursor").getInt64("id").getValue()).isEqualTo(id);
        assertThat(second.getDocument("cursor").getString("ns").getValue()).isEqualTo("admin.$cmd.listConnections");
        assertThat(second.getDocument("cursor").getArray("nextBatch")).hasSize(100);

        BsonDocument last = getMore(id, null, caller).getDocument("cursor");
        assertThat(last.getInt64("id").getValue()).isZero();
        assertThat(last.getArray("nextBatch")).hasSize(49);
        List<String> seen = new ArrayList<>(ids(first.getArray("firstBatch")));
        seen.addAll(ids(second.getDocument("cursor").getArray("nextBatch")));
        seen.addAll(ids(last.getArray("nextBatch")));
        assertThat(seen).containsExactlyElementsOf(all.stream().map(ConnectionEntry::connectionId).toList());

        assertThat(getMore(id, null, caller)).isEqualTo(BsonDocument.parse(
                "{ok: 0.0, errmsg: 'cursor id " + id + " not found', code: 43, codeName: 'CursorNotFound'}"));
    }

    @Test
    void batchSizeAndFilterTogetherAndTheRowsAreASnapshot() {
        List<ConnectionEntry> all = connections(6);
        all.get(1).appName("x");
        all.get(3).appName("x");
        all.get(4).appName("x");
        ConnectionEntry caller = all.get(0);

        BsonDocument first = run("{listConnections: 1, filter: {appName: 'x'}, cursor: {batchSize: 2}}", caller);
        long id = first.getDocument("cursor").getInt64("id").getValue();
        assertThat(ids(first.getDocument("cursor").getArray("firstBatch")))
                .containsExactly(all.get(1).connectionId(), all.get(3).connectionId());
        fakes.add("mongodb", "10.0.0.9:1").appName("x"); // after the snapshot

        BsonDocument next = getMore(id, 2, caller).getDocument("cursor");
        assertThat(ids(next.getArray("nextBatch"))).containsExactly(all.get(4).connectionId());
        assertThat(next.getInt64("id").getValue()).isZero();
    }

    @Test
    void batchSizeZeroOpensACursorWithAnEmptyFirstBatch() {
        List<ConnectionEntry> all = connections(3);
        BsonDocument cursor = run("{listConnections: 1, cursor: {batchSize: 0}}", all.get(0)).getDocument("cursor");
        assertThat(cursor.getArray("firstBatch")).isEmpty();
        BsonDocument next = getMore(cursor.getInt64("id").getValue(), null, all.get(0)).getDocument("cursor");
        assertThat(next.getArray("nextBatch")).hasSize(3);
    }

    @Test
    void anotherConnectionsGetMoreOrKillCursorsFindsNoSuchCursor() {
        List<ConnectionEntry> all = connections(3);
        ConnectionEntry owner = all.get(0);
        ConnectionEntry other = all.get(1);
        long id = run("{listConnections: 1, cursor: {batchSize: 1}}", owner).getDocument("cursor").getInt64("id").getValue();

        assertThat(getMore(id, null, other).getInt32("code").getValue()).isEqualTo(43);
        BsonDocument killed = run("{killCursors: '$cmd.listConnections', cursors: [{$numberLong: '" + id + "'}]}", other);
        assertThat(killed.getArray("cursorsNotFound")).containsExactly(new BsonInt64(id));
        assertThat(getMore(id, 1, owner).getDocument("cursor").getArray("nextBatch")).hasSize(1);
    }

    @Test
    void killCursorsClosesOwnCursorsAndReportsUnknownOnes() {
        List<ConnectionEntry> all = connections(3);
        ConnectionEntry owner = all.get(0);
        long id = run("{listConnections: 1, cursor: {batchSize: 1}}", owner).getDocument("cursor").getInt64("id").getValue();

        BsonDocument reply = run("{killCursors: '$cmd.listConnections', cursors: [{$numberLong: '" + id + "'}, "
                + "{$numberLong: '42'}]}", owner);

        assertThat(reply).isEqualTo(BsonDocument.parse("{cursorsKilled: [{$numberLong: '" + id + "'}], "
                + "cursorsNotFound: [{$numberLong: '42'}], cursorsAlive: [], cursorsUnknown: [], ok: 1.0}"));
        assertThat(getMore(id, null, owner).getInt32("code").getValue()).isEqualTo(43);
    }

    @Test
    void anIdleCursorTimesOutAfterTenMinutes() {
        List<ConnectionEntry> all = connections(4);
        ConnectionEntry owner = all.get(0);
        long id = run("{listConnections: 1, cursor: {batchSize: 1}}", owner).getDocument("cursor").getInt64("id").getValue();

        clock.advance(Duration.ofMinutes(9));
        assertThat(getMore(id, 1, owner).getDocument("cursor").getInt64("id").getValue()).isEqualTo(id);
        clock.advance(Duration.ofMinutes(9)); // idle time counts from the last use
        assertThat(getMore(id, 1, owner).getDocument("cursor").getInt64("id").getValue()).isEqualTo(id);
        clock.advance(Duration.ofMinutes(10));
        assertThat(getMore(id, 1, owner).getString("errmsg").getValue()).isEqualTo("cursor id " + id + " not found");
    }

    @Test
    void aCursorClosesWithItsConnection() {
        List<ConnectionEntry> all = connections(3);
        ConnectionEntry owner = all.get(0);
        long id = run("{listConnections: 1, cursor: {batchSize: 1}}", owner).getDocument("cursor").getInt64("id").getValue();

        registry.unregister(owner);

        assertThat(getMore(id, null, owner).getInt32("code").getValue()).isEqualTo(43);
    }

    @Test
    void theNumberOfOpenCursorsIsBoundedWithAnErrorNamingTheLimit() {
        List<ConnectionEntry> all = connections(3);
        ConnectionEntry owner = all.get(0);
        for (int i = 0; i < 3; i++) {
            run("{listConnections: 1, cursor: {batchSize: 1}}", owner);
        }

        BsonDocument refused = run("{listConnections: 1, cursor: {batchSize: 1}}", owner);

        assertThat(refused.getInt32("code").getValue()).isEqualTo(146);
        assertThat(refused.getString("errmsg").getValue()).contains("too many open listConnections cursors: 3")
                .contains("maxOpenCursors: 3");
        clock.advance(Duration.ofMinutes(10));
        assertThat(run("{listConnections: 1, cursor: {batchSize: 1}}", owner).getDouble("ok").getValue()).isEqualTo(1.0);
    }

    @Test
    void aBatchStaysUnderEightMegabytesWhateverTheBatchSize() {
        // labels are cut at 512 characters; 3-byte characters make a row about 4.6 KB: 4,000 rows would be 18 MB
        List<ConnectionEntry> all = connections(4_000);
        for (ConnectionEntry e : all) {
            e.userAgent("\u20ac".repeat(600));
            e.appName("\u20ac".repeat(600));
            e.driver("\u20ac".repeat(600));
        }

        BsonDocument cursor = run("{listConnections: 1, cursor: {batchSize: 5000}}", all.get(0)).getDocument("cursor");

        int rows = cursor.getArray("firstBatch").size();
        assertThat(rows).isBetween(100, 3_999);
        assertThat(new org.bson.RawBsonDocument(cursor, new org.bson.codecs.BsonDocumentCodec()).getByteBuffer()
                .remaining()).isLessThanOrEqualTo(ListConnections.MAX_BATCH_BYTES);
        BsonDocument next = getMore(cursor.getInt64("id").getValue(), null, all.get(0)).getDocument("cursor");
        assertThat(rows + next.getArray("nextBatch").size()).isLessThan(4_000);
    }

    @Test
    void badCursorOptionsAndGetMoreArguments() {
        connections(2);
        assertThat(run("{listConnections: 1, cursor: 5}", null).getString("errmsg").getValue())
                .isEqualTo("BSON field 'listConnections.cursor' is the wrong type 'int', expected type 'object'");
        assertThat(run("{listConnections: 1, cursor: {batchSize: -1}}", null).getInt32("code").getValue()).isEqualTo(2);
        assertThat(run("{listConnections: 1, cursor: {batchSize: 'a'}}", null).getInt32("code").getValue()).isEqualTo(14);
        assertThat(run("{listConnections: 1, filter: 'x'}", null).getInt32("code").getValue()).isEqualTo(14);
        assertThat(run("{getMore: 'x', collection: '$cmd.listConnections'}", null).getInt32("code").getValue())
                .isEqualTo(14);
        assertThat(getMore(7, 0, null).getString("errmsg").getValue())
                .isEqualTo("Batch size for getMore must be positive, but received: 0");
        assertThat(run("{killCursors: '$cmd.listConnections'}", null).getString("errmsg").getValue())
                .isEqualTo("BSON field 'killCursors.cursors' is missing but a required field");
    }
}
