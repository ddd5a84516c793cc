package dev.sluice.server.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.server.admin.AdminCommands;
import dev.sluice.server.admin.AdminReply;
import dev.sluice.server.admin.AdminSettings;
import dev.sluice.server.admin.FakeConnections;
import dev.sluice.server.admin.FakePoolDirectory;
import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.registry.ConnectionRegistry;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Fuzzes the admin command handlers with fuzzer-built command documents (the command name first,
 * as a client session passes it; every BSON type for its value and the other fields; any database):
 * {@link AdminCommands#execute} must return a reply document with {@code ok} 1 or 0 that Sluice can
 * encode into an OP_MSG, and never throw; its after-reply action must not throw either.
 */
class AdminCommandsFuzzTest {
    private static final String[] NAMES = {"listConnections", "killConnections", "killConnection",
            "dropConnections", "connPoolStats", "serverStatus", "getMore", "killCursors"};
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    @BeforeAll
    static void settings() {
        FuzzDefaults.regressionRunsWithoutHooks();
    }

    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "5m")
    void executeNeverThrows(FuzzedDataProvider data) {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        ConnectionRegistry registry = new ConnectionRegistry(clock);
        FakeConnections fakes = new FakeConnections(registry);
        ConnectionEntry caller = fakes.add("mongodb", "127.0.0.1:50000");
        fakes.add("mongodb", "127.0.0.1:50001");
        fakes.add("http", "127.0.0.1:50002");
        FakePoolDirectory pools = new FakePoolDirectory().host("127.0.0.1:1", 1, 2, 0, 10, 0);
        AdminCommands commands = new AdminCommands(registry, pools,
                new AdminSettings(100, "7.0.0-sluice", "fuzz:27016", NOW.minusSeconds(5)), clock);

        String name = data.pickValue(NAMES);
        BsonDocument command = new BsonDocument(name, commandValue(data, name));
        int extra = data.consumeInt(0, 4);
        for (int i = 0; i < extra; i++) {
            String key = data.consumeBoolean() ? data.pickValue(new String[] {"hostAndPort", "comment", "$db", "filter",
                    "cursor", "collection", "batchSize", "cursors"})
                    : FuzzBson.key(data);
            if (!key.equals(name)) {
                command.put(key, data.consumeBoolean() ? stringArray(data) : FuzzBson.value(data, 3));
            }
        }
        if (name.equals("getMore") && data.consumeBoolean()) {
            command.put("collection", new org.bson.BsonString("$cmd.listConnections"));
        }
        String db = data.consumeBoolean() ? "admin" : FuzzBson.string(data);
        if (!commands.handles(name, command, db)) {
            return; // a getMore/killCursors of another collection: forwarded upstream, not run here
        }
        AdminReply reply = commands.execute(name, command, db, caller);
        check(reply.reply(), name, command);
        reply.afterReply().run();
    }

    private static BsonValue commandValue(FuzzedDataProvider data, String name) {
        if (data.consumeBoolean()) {
            return switch (name) {
                case "killConnections" -> stringArray(data);
                case "killConnection" -> new org.bson.BsonString(FuzzBson.string(data));
                case "killCursors" -> new org.bson.BsonString("$cmd.listConnections");
                case "getMore" -> new org.bson.BsonInt64(data.consumeLong());
                default -> new org.bson.BsonInt32(1);
            };
        }
        return FuzzBson.value(data, 3);
    }

    private static org.bson.BsonArray stringArray(FuzzedDataProvider data) {
        org.bson.BsonArray a = new org.bson.BsonArray();
        int n = data.consumeInt(0, 4);
        for (int i = 0; i < n; i++) {
            a.add(data.consumeInt(0, 5) == 0 ? FuzzBson.value(data, 1) : new org.bson.BsonString(FuzzBson.string(data)));
        }
        return a;
    }

    private static void check(BsonDocument reply, String name, BsonDocument command) {
        BsonValue ok = reply.get("ok");
        if (ok == null || !ok.isNumber() || (ok.asNumber().doubleValue() != 1 && ok.asNumber().doubleValue() != 0)) {
            throw new AssertionError(name + " replied without ok 0/1: " + reply.toJson() + " to " + command.toJson());
        }
        if (ok.asNumber().doubleValue() == 0 && !(reply.containsKey("errmsg") && reply.containsKey("code"))) {
            throw new AssertionError(name + " failed without errmsg/code: " + reply.toJson());
        }
        ByteBuf frame = OpMsg.encode(UnpooledByteBufAllocator.DEFAULT, 1, 1, 0, reply);
        try {
            OpMsg.parse(frame);
        } finally {
            frame.release();
        }
    }
}
