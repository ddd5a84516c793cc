package dev.sluice.server.security.users;

import dev.sluice.server.route.InternalCommands;
import dev.sluice.server.security.authz.ActionType;
import dev.sluice.server.security.authz.Resource;
import dev.sluice.server.security.authz.UserName;
import dev.sluice.server.security.scram.ScramMechanism;
import dev.sluice.server.testing.SluiceHarness;
import io.netty.buffer.PooledByteBufAllocator;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Users and roles kept in the backend's sluice database, shared by every Sluice in front of it. */
class BackendUserStorageIT {

    @Test
    void usersStoredByOneSluiceAreSeenByAnotherAfterItsRefresh() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded()) {
            BackendUserStorage storage = backend(sluice);
            UserStore first = new UserStore(storage, Duration.ofSeconds(5));
            first.refresh();
            assertThat(first.isEmpty()).isTrue();
            UserAdminCommands commands = new UserAdminCommands(first, new Audit(), true, new SecureRandom());

            ok(commands.execute("createRole", BsonDocument.parse("{createRole: 'dropConnectionsRole', privileges: "
                    + "[{resource: {cluster: true}, actions: ['dropConnections']}], roles: []}"), "admin", null, "t"));
            ok(commands.execute("createUser", BsonDocument.parse("{createUser: 'dropConnectionsUser', pwd: 'pw-1', "
                    + "roles: ['dropConnectionsRole'], customData: {k: 'v'}}"), "admin", null, "t"));
            ok(commands.execute("createUser", BsonDocument.parse("{createUser: 'reader', pwd: 'pw-2', roles: ['read']}"),
                    "test", null, "t"));
            BsonDocument again = commands.execute("createUser",
                    BsonDocument.parse("{createUser: 'reader', pwd: 'pw-3', roles: []}"), "test", null, "t");
            assertThat(again.getInt32("code").getValue()).isEqualTo(51003);
            assertThat(again.getString("errmsg").getValue()).isEqualTo("User \"reader@test\" already exists");

            UserStore second = new UserStore(backend(sluice), Duration.ofSeconds(5));
            second.refresh();
            UserName user = new UserName("dropConnectionsUser", "admin");
            assertThat(second.subject(user).orElseThrow().privileges()
                    .isAuthorized(Resource.cluster(), ActionType.DROP_CONNECTIONS)).isTrue();
            assertThat(second.credentials(user, ScramMechanism.SCRAM_SHA_256).orElseThrow()
                    .verifyPassword("dropConnectionsUser", "pw-1")).isTrue();
            assertThat(second.snapshot().user(new UserName("reader", "test")).orElseThrow().credentials()
                    .get(ScramMechanism.SCRAM_SHA_1).verifyPassword("reader", "pw-2")).isTrue();
            assertThat(second.snapshot().user(user).orElseThrow().customData()).isEqualTo(BsonDocument.parse("{k: 'v'}"));

            BsonDocument stored = storage.loadAll().users().stream()
                    .filter(d -> d.getString("_id").getValue().equals("admin.dropConnectionsUser")).findFirst().orElseThrow();
            assertThat(stored.keySet()).containsExactly("_id", "userId", "user", "db", "credentials", "customData", "roles");
            assertThat(stored.getBinary("userId").getType()).isEqualTo((byte) 4);
            assertThat(stored.toJson()).doesNotContain("pw-1");

            ok(commands.execute("dropRole", BsonDocument.parse("{dropRole: 'dropConnectionsRole'}"), "admin", null, "t"));
            second.refresh();
            assertThat(second.snapshot().user(user).orElseThrow().roles()).isEmpty();
            assertThat(second.snapshot().roles()).isEmpty();
        }
    }

    @Test
    void loadingPagesThroughCursorsAndInsertsRefuseDuplicateIds() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded()) {
            BackendUserStorage storage = backend(sluice);
            int roles = BackendUserStorage.BATCH_SIZE * 2 + 7;
            for (int i = 0; i < roles; i++) {
                storage.insertRole(BsonDocument.parse("{_id: 'test.r" + i + "', role: 'r" + i + "', db: 'test', "
                        + "privileges: [], roles: []}"));
            }
            assertThatThrownBy(() -> storage.insertRole(BsonDocument.parse(
                    "{_id: 'test.r1', role: 'r1', db: 'test', privileges: [], roles: []}")))
                    .isInstanceOf(DuplicateIdException.class);
            storage.replaceRole(BsonDocument.parse("{_id: 'test.r1', role: 'r1', db: 'test', privileges: [], "
                    + "roles: [{role: 'read', db: 'test'}]}"));
            assertThat(storage.deleteRole("test.r2")).isTrue();
            assertThat(storage.deleteRole("test.r2")).isFalse();

            UserStore store = new UserStore(storage, Duration.ofSeconds(5));
            store.refresh();
            assertThat(store.snapshot().roles()).hasSize(roles - 1);
            assertThat(store.snapshot().role(new dev.sluice.server.security.authz.RoleName("r1", "test")).orElseThrow()
                    .roles()).hasSize(1);
        }
    }

    private static BackendUserStorage backend(SluiceHarness sluice) {
        return new BackendUserStorage(new InternalCommands(sluice.server().router(), PooledByteBufAllocator.DEFAULT,
                5000), Duration.ofSeconds(10));
    }

    private static void ok(BsonDocument reply) {
        assertThat(reply.getNumber("ok").doubleValue()).as(reply.toJson()).isEqualTo(1.0);
    }
}
