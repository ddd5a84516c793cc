package dev.sluice.server.admin;

import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.registry.ConnectionRegistry;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdminCommandsTest {
    private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final ConnectionRegistry registry = new ConnectionRegistry(clock);
    private final FakePoolDirectory pools = new FakePoolDirectory();
    private final FakeConnections fakes = new FakeConnections(registry);
    private final AdminSettings settings = new AdminSettings(1000, "7.0.0-sluice", "proxy1:27016",
            NOW.minusSeconds(90));
    private final AdminCommands commands = new AdminCommands(registry, pools, settings, clock);

    private BsonDocument run(String name, BsonDocument command, String db, ConnectionEntry caller) {
        return commands.execute(name, command, db, caller).reply();
    }

    private BsonDocument run(BsonDocument command, ConnectionEntry caller) {
        return run(command.getFirstKey(), command, "admin", caller);
    }

    private static BsonDocument doc(String json) {
        return BsonDocument.parse(json);
    }

    @Test
    void handlesExactlyTheSixCommandNamesCaseSensitively() {
        assertThat(List.of("listConnections", "killConnections", "killConnection", "dropConnections",
                "connPoolStats", "serverStatus")).allMatch(commands::handles);
        assertThat(List.of("listconnections", "ServerStatus", "find", "killOp", "")).noneMatch(commands::handles);
        assertThatThrownBy(() -> commands.execute("find", doc("{find: 'x'}"), "admin", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listConnectionsAnswersACursorWithOneRowPerConnectionOldestFirst() {
        ConnectionEntry caller = fakes.add("mongodb", "10.0.0.5:50001");
        caller.userAgent("mongosh 2.3.1");
        caller.appName("mongosh 2.3.1");
        caller.driver("nodejs|mongosh 6.10.0");
        caller.operationStarted("listConnections", System.nanoTime());
        ConnectionEntry other = fakes.add("http", "10.0.0.6:50002");
        other.username("alice");
        other.pinnedHost("db1:27017");
        other.addBytesIn(10);
        other.addBytesOut(20);

        BsonDocument reply = run(doc("{listConnections: 1}"), caller);

        assertThat(reply.getDouble("ok").getValue()).isEqualTo(1.0);
        BsonDocument cursor = reply.getDocument("cursor");
        assertThat(cursor.get("id")).isEqualTo(new BsonInt64(0));
        assertThat(cursor.getString("ns").getValue()).isEqualTo("admin.$cmd.listConnections");
        BsonArray batch = cursor.getArray("firstBatch");
        assertThat(batch).hasSize(2);
        BsonDocument first = batch.get(0).asDocument();
        assertThat(first.keySet()).containsExactly("connectionId", "connectTime", "connector", "username",
                "userAgent", "serverAddress", "clientAddress", "status", "appName", "driver", "opCount", "bytesIn",
                "bytesOut", "currentOp", "currentOpRunningMillis", "pinnedHost");
        assertThat(first.getString("connectionId").getValue()).isEqualTo(caller.connectionId());
        assertThat(first.getString("connectTime").getValue()).isEqualTo("2024-05-01T10:00:00.000Z");
        assertThat(first.getString("connector").getValue()).isEqualTo("mongodb");
        assertThat(first.get("username")).isEqualTo(BsonNull.VALUE);
        assertThat(first.getString("userAgent").getValue()).isEqualTo("mongosh 2.3.1");
        assertThat(first.getString("serverAddress").getValue()).isEqualTo("127.0.0.1:27016");
        assertThat(first.getString("clientAddress").getValue()).isEqualTo("10.0.0.5:50001");
        assertThat(first.getString("status").getValue()).isEqualTo("Running");
        assertThat(first.getString("currentOp").getValue()).isEqualTo("listConnections");
        assertThat(first.get("opCount")).isEqualTo(new BsonInt64(1));
        assertThat(first.get("pinnedHost")).isEqualTo(BsonNull.VALUE);

        BsonDocument second = batch.get(1).asDocument();
        assertThat(second.getString("username").getValue()).isEqualTo("alice");
        assertThat(second.getString("status").getValue()).isEqualTo("Idle");
        assertThat(second.get("currentOp")).isEqualTo(BsonNull.VALUE);
        assertThat(second.get("bytesIn")).isEqualTo(new BsonInt64(10));
        assertThat(second.get("bytesOut")).isEqualTo(new BsonInt64(20));
        assertThat(second.getString("pinnedHost").getValue()).isEqualTo("db1:27017");
    }

    @Test
    void killConnectionsAnswersOneRowPerIdInTheGivenOrderAndKillsTheFoundOnes() {
        ConnectionEntry a = fakes.add("mongodb", "10.0.0.1:1");
        ConnectionEntry b = fakes.add("mongodb", "10.0.0.2:2");
        b.username("bob");
        ConnectionEntry bystander = fakes.add("mongodb", "10.0.0.3:3");

        BsonDocument reply = run(new BsonDocument("killConnections", new BsonArray(List.of(
                new BsonString(b.connectionId()), new BsonString("mongodb-999"), new BsonString(a.connectionId())))),
                null);

        assertThat(reply.getDouble("ok").getValue()).isEqualTo(1.0);
        assertThat(reply.getArray("results")).containsExactly(
                doc("{connectionId: '" + b.connectionId() + "', username: 'bob', message: 'Connection found'}"),
                doc("{connectionId: 'mongodb-999', username: 'n/a', message: 'No connection found with this id'}"),
                doc("{connectionId: '" + a.connectionId() + "', username: null, message: 'Connection found'}"));
        assertThat(fakes.killed()).containsExactly(b.connectionId(), a.connectionId());
        assertThat(registry.find(bystander.connectionId())).isNotNull();
    }

    @Test
    void anIdGivenTwiceGetsTwoRowsButOneKill() {
        ConnectionEntry a = registry.register("mongodb", "s:1", "c:1", reason -> fakesKill.add(reason));
        BsonDocument reply = run(new BsonDocument("killConnections", new BsonArray(List.of(
                new BsonString(a.connectionId()), new BsonString(a.connectionId())))), null);
        assertThat(reply.getArray("results")).hasSize(2)
                .allSatisfy(row -> assertThat(row.asDocument().getString("message").getValue())
                        .isEqualTo("Connection found"));
        assertThat(fakesKill).hasSize(1);
    }

    private final List<String> fakesKill = new java.util.ArrayList<>();

    @Test
    void killConnectionKillsOneConnection() {
        ConnectionEntry a = fakes.add("mongodb", "10.0.0.1:1");
        BsonDocument reply = run(doc("{killConnection: '" + a.connectionId() + "'}"), null);
        assertThat(reply.getArray("results")).containsExactly(
                doc("{connectionId: '" + a.connectionId() + "', username: null, message: 'Connection found'}"));
        assertThat(fakes.killed()).containsExactly(a.connectionId());
        assertThat(run(doc("{killConnection: 'http-77'}"), null).getArray("results")).containsExactly(
                doc("{connectionId: 'http-77', username: 'n/a', message: 'No connection found with this id'}"));
    }

    @Test
    void killingTheCallersOwnConnectionWaitsUntilAfterTheReply() {
        ConnectionEntry caller = fakes.add("mongodb", "10.0.0.1:1");
        ConnectionEntry other = fakes.add("mongodb", "10.0.0.2:2");

        AdminReply reply = commands.execute("killConnections", new BsonDocument("killConnections", new BsonArray(
                List.of(new BsonString(caller.connectionId()), new BsonString(other.connectionId())))), "admin", caller);

        assertThat(reply.reply().getArray("results")).hasSize(2);
        assertThat(fakes.killed()).containsExactly(other.connectionId());
        assertThat(registry.find(caller.connectionId())).isNotNull();
        reply.afterReply().run();
        assertThat(fakes.killed()).containsExactly(other.connectionId(), caller.connectionId());
    }

    @Test
    void afterReplyIsANoOpForOtherCommands() {
        ConnectionEntry caller = fakes.add("mongodb", "10.0.0.1:1");
        commands.execute("listConnections", doc("{listConnections: 1}"), "admin", caller).afterReply().run();
        assertThat(fakes.killed()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"listConnections", "killConnections", "killConnection", "dropConnections"})
    void adminOnlyCommandsFailWithUnauthorizedOnAnotherDatabase(String name) {
        BsonDocument reply = run(name, new BsonDocument(name, new BsonInt32(1))
                .append("hostAndPort", new BsonArray()), "test", null);
        assertThat(reply).isEqualTo(new BsonDocument("ok", new BsonDouble(0))
                .append("errmsg", new BsonString(name + " may only be run against the admin database."))
                .append("code", new BsonInt32(13))
                .append("codeName", new BsonString("Unauthorized")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"connPoolStats", "serverStatus"})
    void diagnosticCommandsRunOnAnyDatabaseLikeMongod(String name) {
        BsonDocument reply = run(name, new BsonDocument(name, new BsonInt32(1)), "test", null);
        assertThat(reply.getDouble("ok").getValue()).isEqualTo(1.0);
    }

    @Test
    void killConnectionsRejectsANonArrayAndNonStringIdsWithTypeMismatch() {
        BsonDocument notArray = run(doc("{killConnections: 'mongodb-1'}"), null);
        assertThat(notArray.getInt32("code").getValue()).isEqualTo(14);
        assertThat(notArray.getString("codeName").getValue()).isEqualTo("TypeMismatch");
        assertThat(notArray.getString("errmsg").getValue())
                .isEqualTo("BSON field 'killConnections' is the wrong type 'string', expected type 'array'");

        BsonDocument badElement = run(doc("{killConnections: ['mongodb-1', 7]}"), null);
        assertThat(badElement.getString("errmsg").getValue())
                .isEqualTo("BSON field 'killConnections.1' is the wrong type 'int', expected type 'string'");

        BsonDocument badSingle = run(doc("{killConnection: {$numberLong: '3'}}"), null);
        assertThat(badSingle.getInt32("code").getValue()).isEqualTo(14);
        assertThat(badSingle.getString("errmsg").getValue())
                .isEqualTo("BSON field 'killConnection' is the wrong type 'long', expected type 'string'");
    }

    @Test
    void killConnectionsWithNoIdsAnswersNoResults() {
        assertThat(run(doc("{killConnections: []}"), null))
                .isEqualTo(doc("{results: [], ok: 1.0}"));
    }

    @Test
    void dropConnectionsDropsValidHostsAndSilentlyIgnoresMalformedStrings() {
        pools.host("db1:27017", 1, 4, 0, 100, 0).host("db2:27017", 0, 2, 0, 100, 0);

        BsonDocument reply = run(doc("{dropConnections: 1, hostAndPort: ['db1:27017', 'db2', 'db3:99999', "
                + "':27017', 'db2:port', 'nopool:27017', 'db1:27017'], comment: {ticket: 'OPS-12'}}"), null);

        assertThat(reply).isEqualTo(doc("{ok: 1.0}"));
        assertThat(pools.dropCalls()).containsExactly("db1:27017", "nopool:27017");
        assertThat(pools.statistics().get(0).available()).isZero();
        assertThat(pools.statistics().get(1).available()).isEqualTo(2);
    }

    @Test
    void dropConnectionsRefusesANonStringHostNamingItsIndexAndDropsNothing() {
        pools.host("db1:27017", 1, 4, 0, 100, 0);

        BsonDocument reply = run(doc("{dropConnections: 1, hostAndPort: ['db1:27017', 'db2:27017', 42]}"), null);

        assertThat(reply.getInt32("code").getValue()).isEqualTo(14);
        assertThat(reply.getString("errmsg").getValue())
                .isEqualTo("BSON field 'dropConnections.hostAndPort.2' is the wrong type 'int', expected type 'string'");
        assertThat(pools.dropCalls()).isEmpty();
    }

    @Test
    void killConnectionsAndDropConnectionsRefuseMoreThanMaxAdminIdsNamingTheSettingAndTheCount() {
        AdminCommands small = new AdminCommands(registry, pools,
                new AdminSettings(1000, "7.0.0-sluice", "proxy1:27016", NOW, 3), clock);
        ConnectionEntry a = fakes.add("mongodb", "10.0.0.1:1");

        BsonDocument kill = small.execute("killConnections", doc("{killConnections: ['" + a.connectionId()
                + "', 'x-1', 'x-2', 'x-3', 'x-4']}"), "admin", null).reply();
        BsonDocument drop = small.execute("dropConnections", doc("{dropConnections: 1, hostAndPort: "
                + "['a:1', 'b:1', 'c:1', 'd:1']}"), "admin", null).reply();

        for (BsonDocument reply : List.of(kill, drop)) {
            assertThat(reply.getInt32("code").getValue()).isEqualTo(2);
            assertThat(reply.getString("codeName").getValue()).isEqualTo("BadValue");
            assertThat(reply.getString("errmsg").getValue()).contains("maxAdminIds (3)");
        }
        assertThat(kill.getString("errmsg").getValue()).contains("'killConnections' has 5 elements");
        assertThat(drop.getString("errmsg").getValue()).contains("'dropConnections.hostAndPort' has 4 elements");
        assertThat(fakes.killed()).isEmpty();
        assertThat(pools.dropCalls()).isEmpty();
        assertThat(small.execute("killConnections", doc("{killConnections: ['x-1', 'x-2', 'x-3']}"), "admin", null)
                .reply().getDouble("ok").getValue()).isEqualTo(1.0);
    }

    @Test
    void killConnectionsWhoseResultsCouldNotBeSentIsRefusedBeforeKillingAnything() {
        ConnectionEntry a = fakes.add("mongodb", "10.0.0.1:1");
        BsonArray ids = new BsonArray();
        ids.add(new BsonString(a.connectionId()));
        for (int i = 0; i < 40_000; i++) {
            ids.add(new BsonString("x".repeat(400) + i)); // 40,000 ids of 400 characters: ~20 MB of results
        }

        BsonDocument reply = run(new BsonDocument("killConnections", ids), null);

        assertThat(reply.getInt32("code").getValue()).isEqualTo(2);
        assertThat(reply.getString("errmsg").getValue()).startsWith("killConnections names 40001 ids whose results "
                + "would take up to ").endsWith("send fewer or shorter ids per command");
        assertThat(fakes.killed()).isEmpty();
    }

    @Test
    void aHundredThousandRealisticIdsFitInOneReply() {
        ConnectionEntry a = fakes.add("mongodb", "10.0.0.1:1");
        BsonArray ids = new BsonArray();
        for (int i = 0; i < 99_999; i++) {
            ids.add(new BsonString("mongodb-" + (9_000_000_000_000L + i)));
        }
        ids.add(new BsonString(a.connectionId()));

        BsonDocument reply = run(new BsonDocument("killConnections", ids), null);

        assertThat(reply.getArray("results")).hasSize(100_000);
        assertThat(fakes.killed()).containsExactly(a.connectionId());
        assertThat(new org.bson.RawBsonDocument(reply, new org.bson.codecs.BsonDocumentCodec()).getByteBuffer()
                .remaining()).isLessThan(16 << 20);
    }

    @Test
    void getMoreAndKillCursorsAreLocalOnlyForListConnectionsCursorsOnAdmin() {
        assertThat(commands.handles("getMore", doc("{getMore: {$numberLong: '5'}, collection: '$cmd.listConnections'}"),
                "admin")).isTrue();
        assertThat(commands.handles("killCursors", doc("{killCursors: '$cmd.listConnections', cursors: []}"),
                "admin")).isTrue();
        assertThat(commands.handles("getMore", doc("{getMore: {$numberLong: '5'}, collection: 'users'}"), "admin"))
                .isFalse();
        assertThat(commands.handles("getMore", doc("{getMore: {$numberLong: '5'}, collection: '$cmd.listConnections'}"),
                "test")).isFalse();
        assertThat(commands.handles("killCursors", doc("{killCursors: 'users', cursors: []}"), "admin")).isFalse();
        assertThat(commands.handles("find", doc("{find: '$cmd.listConnections'}"), "admin")).isFalse();
        assertThat(commands.handles("listConnections", doc("{listConnections: 1}"), "test")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"'a string'", "42", "[1, 2]", "{a: {b: 1}}", "null", "true", "{$date: '2024-01-01T00:00:00Z'}"})
    void dropConnectionsAcceptsACommentOfAnyBsonType(String comment) {
        BsonDocument reply = run(doc("{dropConnections: 1, hostAndPort: ['db1:27017'], comment: " + comment + "}"), null);
        assertThat(reply).isEqualTo(doc("{ok: 1.0}"));
        assertThat(pools.dropCalls()).containsExactly("db1:27017");
    }

    @Test
    void dropConnectionsNamesAWrongTypedOrMissingHostAndPort() {
        BsonDocument wrong = run(doc("{dropConnections: 1, hostAndPort: 'db1:27017'}"), null);
        assertThat(wrong.getInt32("code").getValue()).isEqualTo(14);
        assertThat(wrong.getString("codeName").getValue()).isEqualTo("TypeMismatch");
        assertThat(wrong.getString("errmsg").getValue())
                .isEqualTo("BSON field 'dropConnections.hostAndPort' is the wrong type 'string', expected type 'array'");

        BsonDocument missing = run(doc("{dropConnections: 1}"), null);
        assertThat(missing.getDouble("ok").getValue()).isZero();
        assertThat(missing.getString("errmsg").getValue())
                .isEqualTo("BSON field 'dropConnections.hostAndPort' is missing but a required field");
        assertThat(pools.dropCalls()).isEmpty();
    }

    @Test
    void connPoolStatsUsesMongodFieldNames() {
        pools.host("db2:27017", 3, 1, 1, 50, 4).host("db1:27017", 2, 5, 0, 100, 0);

        BsonDocument reply = run(doc("{connPoolStats: 1}"), null);

        assertThat(reply.getInt32("totalInUse").getValue()).isEqualTo(5);
        assertThat(reply.getInt32("totalAvailable").getValue()).isEqualTo(6);
        assertThat(reply.getInt64("totalCreated").getValue()).isEqualTo(11);
        assertThat(reply.getInt32("totalRefreshing").getValue()).isEqualTo(1);
        assertThat(reply.getDocument("hosts").keySet()).containsExactly("db1:27017", "db2:27017");
        BsonDocument db2 = reply.getDocument("hosts").getDocument("db2:27017");
        assertThat(db2.getInt32("inUse").getValue()).isEqualTo(3);
        assertThat(db2.getInt32("available").getValue()).isEqualTo(1);
        assertThat(db2.getInt64("created").getValue()).isEqualTo(4);
        assertThat(db2.getInt32("refreshing").getValue()).isEqualTo(1);
        assertThat(db2.getInt32("waitQueueSize").getValue()).isEqualTo(4);
        assertThat(db2.getInt32("maxPoolSize").getValue()).isEqualTo(50);
        assertThat(db2.keySet()).contains("waitQueueTimeouts", "clears", "generation");
        assertThat(reply.getDouble("ok").getValue()).isEqualTo(1.0);
    }

    @Test
    void serverStatusReportsTheMongodbConnectorInItsConnectionsSection() {
        ConnectionEntry running = fakes.add("mongodb", "c:1");
        running.operationStarted("find", System.nanoTime());
        fakes.add("mongodb", "c:2");
        ConnectionEntry gone = fakes.add("mongodb", "c:3");
        registry.unregister(gone);
        registry.recordRejected("mongodb");
        fakes.add("http", "c:4");
        pools.host("db1:27017", 2, 3, 0, 100, 0);

        BsonDocument reply = run(doc("{serverStatus: 1}"), running);

        assertThat(reply.getString("host").getValue()).isEqualTo("proxy1:27016");
        assertThat(reply.getString("version").getValue()).isEqualTo("7.0.0-sluice");
        assertThat(reply.getString("process").getValue()).isEqualTo("sluice");
        assertThat(reply.getInt64("pid").getValue()).isEqualTo(ProcessHandle.current().pid());
        assertThat(reply.getDouble("uptime").getValue()).isEqualTo(90.0);
        assertThat(reply.getInt64("uptimeMillis").getValue()).isEqualTo(90_000L);
        assertThat(reply.getDateTime("localTime").getValue()).isEqualTo(NOW.toEpochMilli());
        assertThat(reply.getDocument("connections")).isEqualTo(new BsonDocument()
                .append("current", new BsonInt32(2))
                .append("available", new BsonInt32(998))
                .append("totalCreated", new BsonInt64(3))
                .append("rejected", new BsonInt64(1))
                .append("active", new BsonInt32(1))
                .append("threaded", new BsonInt32(2))
                .append("exhaustIsMaster", new BsonInt32(0))
                .append("exhaustHello", new BsonInt32(0))
                .append("awaitingTopologyChanges", new BsonInt32(0)));
        BsonDocument sluice = reply.getDocument("sluice");
        assertThat(sluice.getDocument("connectors").getDocument("http").getInt32("current").getValue()).isEqualTo(1);
        assertThat(sluice.getDocument("pools").getInt32("totalInUse").getValue()).isEqualTo(2);
        assertThat(sluice.getDocument("pools").getInt32("hostCount").getValue()).isEqualTo(1);
        assertThat(reply.getDouble("ok").getValue()).isEqualTo(1.0);
    }

    @Test
    void adminSettingsRejectANonPositiveLimit() {
        assertThatThrownBy(() -> new AdminSettings(0, "v", "h", NOW))
                .hasMessage("maxIncomingConnections: 0 (expected: >= 1)");
    }

    @Test
    void bsonTypeNamesAreMongodAliases() {
        BsonValue value = new BsonDocument();
        assertThat(CommandFailure.typeName(value.getBsonType())).isEqualTo("object");
        assertThat(CommandFailure.typeName(BsonType.BOOLEAN)).isEqualTo("bool");
    }
}
