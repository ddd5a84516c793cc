package dev.sluice.server.security.users;

import org.bson.BsonDocument;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** A user store over in-memory storage with its management commands, for unit tests. */
final class UsersFixture {
    final InMemoryUserStorage storage = new InMemoryUserStorage();
    final UserStore store = new UserStore(storage, Duration.ofSeconds(5));
    final List<AuditEvent> audited = new CopyOnWriteArrayList<>();
    final UserAdminCommands commands = new UserAdminCommands(store, new Audit(audited::add), true, new SecureRandom());

    UsersFixture() {
        store.refresh();
    }

    /** Runs {@code json} (a command document) against {@code db} as an unauthenticated local client. */
    BsonDocument run(String db, String json) {
        BsonDocument command = BsonDocument.parse(json);
        String name = command.getFirstKey();
        assertThat(commands.handles(name)).as(name).isTrue();
        return commands.execute(name, command, db, null, "127.0.0.1:50000");
    }

    BsonDocument ok(String db, String json) {
        BsonDocument reply = run(db, json);
        assertThat(reply.getNumber("ok").doubleValue()).as(reply.toJson()).isEqualTo(1.0);
        return reply;
    }

    static void assertError(BsonDocument reply, int code, String codeName, String errmsg) {
        assertThat(reply.getNumber("ok").doubleValue()).as(reply.toJson()).isEqualTo(0.0);
        assertThat(reply.getInt32("code").getValue()).as(reply.toJson()).isEqualTo(code);
        assertThat(reply.getString("codeName").getValue()).isEqualTo(codeName);
        if (errmsg != null) {
            assertThat(reply.getString("errmsg").getValue()).isEqualTo(errmsg);
        }
    }
}
