package dev.sluice.server.security.users;

import dev.sluice.server.security.authz.RoleName;
import dev.sluice.server.security.authz.UserName;
import dev.sluice.server.security.scram.ScramCredentials;
import dev.sluice.server.security.scram.ScramMechanism;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.server.security.users.UsersFixture.assertError;
import static org.assertj.core.api.Assertions.assertThat;

class UserCommandsTest {
    private final UsersFixture fx = new UsersFixture();

    private StoredUser user(String user, String db) {
        return fx.store.snapshot().user(new UserName(user, db)).orElseThrow();
    }

    @Test
    void createUserStoresScramKeysForBothMechanismsWithMongodsIterationCountsAndNoPassword() {
        fx.ok("admin", "{createUser: 'alice', pwd: 's3cret-pw', roles: ['readAnyDatabase', {role: 'read', db: 'test'}],"
                + " customData: {team: 'ops'}, writeConcern: {w: 'majority'}}");

        StoredUser alice = user("alice", "admin");
        assertThat(alice.mechanisms()).containsExactly(ScramMechanism.SCRAM_SHA_1, ScramMechanism.SCRAM_SHA_256);
        assertThat(alice.credentials().get(ScramMechanism.SCRAM_SHA_1).iterationCount()).isEqualTo(10_000);
        assertThat(alice.credentials().get(ScramMechanism.SCRAM_SHA_256).iterationCount()).isEqualTo(15_000);
        assertThat(alice.credentials().get(ScramMechanism.SCRAM_SHA_256).verifyPassword("alice", "s3cret-pw")).isTrue();
        assertThat(alice.credentials().get(ScramMechanism.SCRAM_SHA_1).verifyPassword("alice", "s3cret-pw")).isTrue();
        assertThat(alice.roles()).containsExactly(new RoleName("readAnyDatabase", "admin"), new RoleName("read", "test"));
        assertThat(alice.customData()).isEqualTo(BsonDocument.parse("{team: 'ops'}"));

        BsonDocument stored = fx.storage.loadAll().users().get(0);
        assertThat(stored.getString("_id").getValue()).isEqualTo("admin.alice");
        assertThat(stored.getBinary("userId").getType()).isEqualTo((byte) 4);
        assertThat(stored.toJson()).doesNotContain("s3cret-pw");
        assertThat(fx.audited).singleElement().satisfies(event -> {
            assertThat(event.action()).isEqualTo("createUser");
            assertThat(event.target()).isEqualTo("alice@admin");
            assertThat(event.who()).isEqualTo(AuditEvent.LOCALHOST_EXCEPTION);
            assertThat(event.from()).isEqualTo("127.0.0.1:50000");
            assertThat(event.outcome()).isEqualTo("ok");
            assertThat(Audit.format(event)).doesNotContain("s3cret-pw");
        });
    }

    @Test
    void createUserTwiceIsRefusedAsMongodDoes() {
        fx.ok("admin", "{createUser: 'alice', pwd: 'pw1', roles: []}");
        assertError(fx.run("admin", "{createUser: 'alice', pwd: 'pw2', roles: []}"), 51003, "Location51003",
                "User \"alice@admin\" already exists");
        assertThat(user("alice", "admin").credentials().get(ScramMechanism.SCRAM_SHA_256).verifyPassword("alice", "pw1"))
                .isTrue();
        assertThat(fx.audited.get(1).outcome()).isEqualTo("error 51003 Location51003");
    }

    @Test
    void createUserWithUnknownRolesIsRefusedAndNothingIsStored() {
        assertError(fx.run("test", "{createUser: 'bob', pwd: 'pw', roles: ['nosuch', {role: 'clusterAdmin', db: 'test'}]}"),
                31, "RoleNotFound", "Could not find roles: nosuch@test, clusterAdmin@test");
        assertThat(fx.store.snapshot().users()).isEmpty();
        assertThat(fx.storage.loadAll().users()).isEmpty();
    }

    @Test
    void usersOnExternalHaveNoPasswordAndAuthenticateWithTheirCertificate() {
        BsonDocument created = fx.ok("$external", "{createUser: 'CN=app,O=Example', roles: [{role: 'read', db: 'shop'}]}");
        assertThat(created.getNumber("ok").intValue()).isEqualTo(1);
        BsonDocument info = fx.ok("$external", "{usersInfo: 'CN=app,O=Example'}").getArray("users").get(0).asDocument();
        assertThat(info.getString("db").getValue()).isEqualTo("$external");
        assertThat(info.getArray("mechanisms")).containsExactly(new org.bson.BsonString("external"));
        assertError(fx.run("$external", "{createUser: 'CN=other', roles: [], mechanisms: ['SCRAM-SHA-256']}"), 2,
                "BadValue", null);
    }

    @Test
    void createUserValidatesItsFieldsAsMongodsParser() {
        assertError(fx.run("test", "{createUser: 'bob', roles: []}"), 2, "BadValue",
                "Must provide a 'pwd' field for all user documents, except those with '$external' as the user's source db");
        assertError(fx.run("test", "{createUser: 'bob', pwd: 'pw'}"), 40414, "Location40414",
                "BSON field 'createUser.roles' is missing but a required field");
        assertError(fx.run("test", "{createUser: 'bob', pwd: 12, roles: []}"), 14, "TypeMismatch",
                "BSON field 'createUser.pwd' is the wrong type 'int', expected type 'string'");
        assertError(fx.run("test", "{createUser: 'bob', pwd: 'pw', roles: [], bogus: 1}"), 40415, "Location40415",
                "BSON field 'createUser.bogus' is an unknown field.");
        assertError(fx.run("test", "{createUser: 'bob', pwd: 'pw', roles: [], customData: 'x'}"), 14, "TypeMismatch", null);
        assertError(fx.run("local", "{createUser: 'bob', pwd: 'pw', roles: []}"), 2, "BadValue",
                "Cannot create users in the local database");
        assertError(fx.run("test", "{createUser: '', pwd: 'pw', roles: []}"), 2, "BadValue",
                "User document needs 'user' field to be non-empty");
        assertError(fx.run("test", "{createUser: 'bob', pwd: 'pw', roles: [3]}"), 2, "BadValue",
                "Role names must be either strings or objects");
        assertError(fx.run("test", "{createUser: 'bob', pwd: 'pw', roles: [], mechanisms: []}"), 2, "BadValue",
                "mechanisms field must not be empty");
        assertError(fx.run("test", "{createUser: 'bob', pwd: 'pw', roles: [], mechanisms: ['PLAIN']}"), 2, "BadValue",
                "Unknown auth mechanism 'PLAIN'");
        assertError(fx.run("$external", "{createUser: 'CN=x', pwd: 'pw', roles: []}"), 2, "BadValue",
                "Cannot set the password for users defined on the '$external' database");
        assertError(fx.run("test", "{createUser: 'bob', pwd: 'pw', roles: [], authenticationRestrictions: "
                + "[{clientSource: ['10.0.0.0/8']}]}"), 2, "BadValue", null);
        assertThat(fx.store.snapshot().users()).isEmpty();
    }

    @Test
    void digestPasswordFalseIsRefusedForScramSha256AndUsedAsTheLegacyDigestForScramSha1() {
        assertError(fx.run("test", "{createUser: 'bob', pwd: 'pw', roles: [], digestPassword: false}"), 2, "BadValue",
                "Use of SCRAM-SHA-256 requires undigested passwords");
        String digest = ScramMechanism.mongoDigest("bob", "pw");
        fx.ok("test", "{createUser: 'bob', pwd: '" + digest + "', roles: [], digestPassword: false, "
                + "mechanisms: ['SCRAM-SHA-1']}");
        ScramCredentials sha1 = user("bob", "test").credentials().get(ScramMechanism.SCRAM_SHA_1);
        assertThat(sha1.verifyPassword("bob", "pw")).isTrue();
        assertThat(user("bob", "test").mechanisms()).containsExactly(ScramMechanism.SCRAM_SHA_1);
    }

    @Test
    void inputsBeyondTheBoundsAreRefusedNamingTheConstant() {
        StringBuilder roles = new StringBuilder("[");
        for (int i = 0; i <= UserAdminLimits.MAX_ROLES_PER_COMMAND; i++) {
            roles.append(i == 0 ? "" : ",").append("'r").append(i).append("'");
        }
        BsonDocument reply = fx.run("test", "{createUser: 'bob', pwd: 'pw', roles: " + roles + "]}");
        assertError(reply, 2, "BadValue", null);
        assertThat(reply.getString("errmsg").getValue()).contains("MAX_ROLES_PER_COMMAND");
        reply = fx.run("test", "{createUser: '" + "u".repeat(UserAdminLimits.MAX_NAME_BYTES + 1) + "', pwd: 'pw', roles: []}");
        assertThat(reply.getString("errmsg").getValue()).contains("MAX_NAME_BYTES");
        reply = fx.run("test", "{createUser: 'bob', pwd: '" + "p".repeat(UserAdminLimits.MAX_PASSWORD_CHARS + 1)
                + "', roles: []}");
        assertThat(reply.getString("errmsg").getValue()).contains("MAX_PASSWORD_CHARS").doesNotContain("ppppp");
    }

    @Test
    void updateUserChangesThePasswordKeysReplacesRolesAndKeepsTheUserId() {
        fx.ok("test", "{createUser: 'bob', pwd: 'old-pw', roles: ['read'], customData: {a: 1}}");
        StoredUser before = user("bob", "test");
        fx.ok("test", "{updateUser: 'bob', pwd: 'new-pw', roles: [{role: 'readWrite', db: 'test'}]}");
        StoredUser after = user("bob", "test");
        assertThat(after.userId()).isEqualTo(before.userId());
        assertThat(after.credentials().get(ScramMechanism.SCRAM_SHA_256).verifyPassword("bob", "new-pw")).isTrue();
        assertThat(after.credentials().get(ScramMechanism.SCRAM_SHA_256).verifyPassword("bob", "old-pw")).isFalse();
        assertThat(after.credentials().get(ScramMechanism.SCRAM_SHA_1).verifyPassword("bob", "new-pw")).isTrue();
        assertThat(after.roles()).containsExactly(new RoleName("readWrite", "test"));
        assertThat(after.customData()).isEqualTo(BsonDocument.parse("{a: 1}"));

        fx.ok("test", "{updateUser: 'bob', mechanisms: ['SCRAM-SHA-256']}");
        assertThat(user("bob", "test").mechanisms()).containsExactly(ScramMechanism.SCRAM_SHA_256);
        assertError(fx.run("test", "{updateUser: 'bob', mechanisms: ['SCRAM-SHA-1']}"), 2, "BadValue",
                "mechanisms field must be a subset of previously set mechanisms");
        assertError(fx.run("test", "{updateUser: 'bob'}"), 2, "BadValue",
                "Must specify at least one field to update in updateUser");
        assertError(fx.run("test", "{updateUser: 'nobody', customData: {}}"), 11, "UserNotFound",
                "User nobody@test not found");
        assertError(fx.run("test", "{updateUser: 'bob', roles: ['nosuch']}"), 31, "RoleNotFound",
                "Could not find role: nosuch@test");
        assertThat(fx.storage.loadAll().users().get(0).toJson()).doesNotContain("new-pw").doesNotContain("old-pw");
    }

    @Test
    void dropUserAndDropAllUsersFromDatabase() {
        fx.ok("test", "{createUser: 'a', pwd: 'pw', roles: []}");
        fx.ok("test", "{createUser: 'b', pwd: 'pw', roles: []}");
        fx.ok("other", "{createUser: 'a', pwd: 'pw', roles: []}");
        fx.ok("test", "{dropUser: 'a'}");
        assertError(fx.run("test", "{dropUser: 'a'}"), 11, "UserNotFound", "User 'a@test' not found");
        BsonDocument reply = fx.ok("test", "{dropAllUsersFromDatabase: 1}");
        assertThat(reply.getInt32("n").getValue()).isEqualTo(1);
        assertThat(fx.store.snapshot().users()).extracting(StoredUser::name).containsExactly(new UserName("a", "other"));
        assertThat(fx.storage.loadAll().users()).hasSize(1);
        assertThat(fx.store.isEmpty()).isFalse();
        fx.ok("other", "{dropUser: 'a'}");
        assertThat(fx.store.isEmpty()).isTrue();
    }

    @Test
    void grantAndRevokeRolesToUser() {
        fx.ok("test", "{createUser: 'bob', pwd: 'pw', roles: ['read']}");
        fx.ok("test", "{grantRolesToUser: 'bob', roles: ['readWrite', 'read', {role: 'clusterMonitor', db: 'admin'}]}");
        assertThat(user("bob", "test").roles()).containsExactly(new RoleName("read", "test"),
                new RoleName("readWrite", "test"), new RoleName("clusterMonitor", "admin"));
        fx.ok("test", "{revokeRolesFromUser: 'bob', roles: ['read', {role: 'clusterMonitor', db: 'admin'}]}");
        assertThat(user("bob", "test").roles()).containsExactly(new RoleName("readWrite", "test"));

        assertError(fx.run("test", "{grantRolesToUser: 'nobody', roles: ['read']}"), 11, "UserNotFound",
                "Could not find user \"nobody\" for db \"test\"");
        assertError(fx.run("test", "{grantRolesToUser: 'bob', roles: ['nosuch']}"), 31, "RoleNotFound",
                "Could not find role: nosuch@test");
        assertError(fx.run("test", "{grantRolesToUser: 'bob', roles: []}"), 2, "BadValue",
                "\"grantRolesToUser\" command requires a non-empty \"roles\" array");
        assertError(fx.run("test", "{revokeRolesFromUser: 'bob'}"), 40414, "Location40414",
                "BSON field 'revokeRolesFromUser.roles' is missing but a required field");
        assertThat(fx.audited).extracting(AuditEvent::action).contains("grantRolesToUser", "revokeRolesFromUser");
        assertThat(fx.audited.get(fx.audited.size() - 1).outcome()).isEqualTo("error 40414 Location40414");
    }

    @Test
    void usersAreAuditedWithTheCallerWhenAuthenticated() {
        var root = fx.store.snapshot().graph();
        var subject = dev.sluice.server.security.authz.Subject.of(new UserName("admin", "admin"),
                root.resolve(List.of(new RoleName("root", "admin"))));
        fx.commands.execute("createUser", BsonDocument.parse("{createUser: 'x', pwd: 'pw', roles: []}"), "test",
                subject, "10.1.2.3:4444");
        assertThat(fx.audited).singleElement().satisfies(event -> {
            assertThat(event.who()).isEqualTo("admin@admin");
            assertThat(event.from()).isEqualTo("10.1.2.3:4444");
            assertThat(event.target()).isEqualTo("x@test");
        });
    }
}
