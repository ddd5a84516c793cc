package dev.sluice.server.security.users;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.server.security.users.UsersFixture.assertError;
import static org.assertj.core.api.Assertions.assertThat;

class InfoCommandsTest {
    private final UsersFixture fx = new UsersFixture();

    @BeforeEach
    void users() {
        fx.ok("test", "{createRole: 'app', privileges: [{resource: {db: 'test', collection: 'c'}, actions: ['insert']}],"
                + " roles: ['read']}");
        fx.ok("test", "{createRole: 'outer', privileges: [], roles: ['app']}");
        fx.ok("test", "{createUser: 'bob', pwd: 'pw-bob', roles: ['outer'], customData: {n: 1}}");
        fx.ok("test", "{createUser: 'amy', pwd: 'pw-amy', roles: [], mechanisms: ['SCRAM-SHA-256']}");
        fx.ok("admin", "{createUser: 'root', pwd: 'pw-root', roles: ['root']}");
    }

    private static List<String> names(BsonDocument reply, String array, String field) {
        return reply.getArray(array).stream().map(v -> v.asDocument().getString(field).getValue()).toList();
    }

    @Test
    void usersInfoForms() {
        assertThat(names(fx.ok("test", "{usersInfo: 1}"), "users", "_id")).containsExactly("test.amy", "test.bob");
        assertThat(names(fx.ok("test", "{usersInfo: 'bob'}"), "users", "_id")).containsExactly("test.bob");
        assertThat(names(fx.ok("test", "{usersInfo: {user: 'root', db: 'admin'}}"), "users", "_id"))
                .containsExactly("admin.root");
        assertThat(names(fx.ok("test", "{usersInfo: ['bob', {user: 'root', db: 'admin'}, 'nobody']}"), "users", "_id"))
                .containsExactly("test.bob", "admin.root");
        assertThat(names(fx.ok("test", "{usersInfo: {forAllDBs: true}}"), "users", "_id"))
                .containsExactly("test.amy", "test.bob", "admin.root");
        assertThat(fx.ok("test", "{usersInfo: 'nobody'}").getArray("users")).isEmpty();
        assertError(fx.run("test", "{usersInfo: 2}"), 2, "BadValue", null);
        assertError(fx.run("test", "{usersInfo: 1, showPrivileges: true}"), 20, "IllegalOperation",
                "Privilege or restriction details require exact-match usersInfo queries.");
        assertThat(fx.audited).extracting(AuditEvent::action).doesNotContain("usersInfo");
    }

    @Test
    void usersInfoShowsMongodsFieldsAndScramKeysOnlyWithShowCredentials() {
        BsonDocument bob = fx.ok("test", "{usersInfo: 'bob'}").getArray("users").get(0).asDocument();
        assertThat(bob.keySet()).containsExactly("_id", "userId", "user", "db", "customData", "roles", "mechanisms");
        assertThat(bob.getBinary("userId").getType()).isEqualTo((byte) 4);
        assertThat(bob.getArray("roles")).containsExactly(BsonDocument.parse("{role: 'outer', db: 'test'}"));
        assertThat(bob.getArray("mechanisms")).containsExactly(new org.bson.BsonString("SCRAM-SHA-1"),
                new org.bson.BsonString("SCRAM-SHA-256"));
        assertThat(bob.toJson()).doesNotContain("storedKey").doesNotContain("serverKey").doesNotContain("salt")
                .doesNotContain("pw-bob");

        BsonDocument withKeys = fx.ok("test", "{usersInfo: 'bob', showCredentials: true}").getArray("users").get(0)
                .asDocument();
        BsonDocument sha256 = withKeys.getDocument("credentials").getDocument("SCRAM-SHA-256");
        assertThat(sha256.keySet()).containsExactly("iterationCount", "salt", "storedKey", "serverKey");
        assertThat(withKeys.getDocument("credentials").keySet()).containsExactly("SCRAM-SHA-1", "SCRAM-SHA-256");
        assertThat(withKeys.toJson()).doesNotContain("pw-bob");

        BsonDocument noCustom = fx.ok("test", "{usersInfo: 'bob', showCustomData: false}").getArray("users").get(0)
                .asDocument();
        assertThat(noCustom.containsKey("customData")).isFalse();
    }

    @Test
    void usersInfoShowPrivilegesGivesInheritedRolesAndPrivileges() {
        BsonDocument bob = fx.ok("test", "{usersInfo: 'bob', showPrivileges: true}").getArray("users").get(0)
                .asDocument();
        assertThat(bob.getArray("inheritedRoles")).containsExactlyInAnyOrder(
                BsonDocument.parse("{role: 'outer', db: 'test'}"), BsonDocument.parse("{role: 'app', db: 'test'}"),
                BsonDocument.parse("{role: 'read', db: 'test'}"));
        BsonArray privileges = bob.getArray("inheritedPrivileges");
        assertThat(privileges).contains(BsonDocument.parse(
                "{resource: {db: 'test', collection: 'c'}, actions: ['insert']}"));
        BsonDocument onDb = privileges.stream().map(BsonValue::asDocument)
                .filter(p -> p.getDocument("resource").equals(BsonDocument.parse("{db: 'test', collection: ''}")))
                .findFirst().orElseThrow();
        assertThat(onDb.getArray("actions")).contains(new org.bson.BsonString("find"));
        assertThat(bob.getArray("inheritedAuthenticationRestrictions")).isEmpty();
        assertThat(bob.containsKey("credentials")).isFalse();
    }

    @Test
    void usersInfoFilterSupportsEqualityOnTopLevelFieldsOnly() {
        assertThat(names(fx.ok("test", "{usersInfo: 1, filter: {mechanisms: 'SCRAM-SHA-1'}}"), "users", "user"))
                .containsExactly("bob");
        assertThat(names(fx.ok("test", "{usersInfo: {forAllDBs: true}, filter: {roles: {role: 'root', db: 'admin'}}}"),
                "users", "user")).containsExactly("root");
        assertThat(names(fx.ok("test", "{usersInfo: 1, filter: {customData: {n: 1.0}}}"), "users", "user"))
                .containsExactly("bob");
        assertThat(names(fx.ok("test", "{usersInfo: 1, filter: {customData: {n: 2}}}"), "users", "user")).isEmpty();
        assertThat(names(fx.ok("test", "{usersInfo: 1, filter: {user: 'amy', db: 'test'}}"), "users", "user"))
                .containsExactly("amy");
        assertError(fx.run("test", "{usersInfo: 1, filter: {user: {$in: ['amy']}}}"), 2, "BadValue", null);
        assertError(fx.run("test", "{usersInfo: 1, filter: {'customData.n': 1}}"), 2, "BadValue", null);
        assertError(fx.run("test", "{usersInfo: 1, filter: {$or: []}}"), 2, "BadValue", null);
        assertError(fx.run("test", "{usersInfo: 1, filter: 'x'}"), 14, "TypeMismatch", null);
    }

    @Test
    void rolesInfoForms() {
        BsonDocument outer = fx.ok("test", "{rolesInfo: 'outer'}").getArray("roles").get(0).asDocument();
        assertThat(outer).isEqualTo(BsonDocument.parse("{role: 'outer', db: 'test', isBuiltin: false, "
                + "roles: [{role: 'app', db: 'test'}], "
                + "inheritedRoles: [{role: 'app', db: 'test'}, {role: 'read', db: 'test'}]}"));
        assertThat(names(fx.ok("test", "{rolesInfo: 1}"), "roles", "role")).containsExactly("app", "outer");
        List<String> withBuiltins = names(fx.ok("test", "{rolesInfo: 1, showBuiltinRoles: true}"), "roles", "role");
        assertThat(withBuiltins).contains("read", "readWrite", "dbOwner", "app", "outer").doesNotContain("root");
        assertThat(names(fx.ok("test", "{rolesInfo: [{role: 'root', db: 'admin'}, 'app', 'nosuch']}"), "roles", "role"))
                .containsExactly("root", "app");
        assertError(fx.run("test", "{rolesInfo: 1, showPrivileges: 'asUserFragment'}"), 2, "BadValue", null);
    }

    @Test
    void rolesInfoShowPrivileges() {
        BsonDocument app = fx.ok("test", "{rolesInfo: 'app', showPrivileges: true}").getArray("roles").get(0)
                .asDocument();
        assertThat(app.getArray("privileges")).containsExactly(BsonDocument.parse(
                "{resource: {db: 'test', collection: 'c'}, actions: ['insert']}"));
        assertThat(app.getArray("inheritedPrivileges")).hasSizeGreaterThan(1).contains(BsonDocument.parse(
                "{resource: {db: 'test', collection: 'c'}, actions: ['insert']}"));
        BsonDocument read = fx.ok("test", "{rolesInfo: 'read', showPrivileges: true}").getArray("roles").get(0)
                .asDocument();
        assertThat(read.getBoolean("isBuiltin").getValue()).isTrue();
        assertThat(read.getArray("roles")).isEmpty();
        assertThat(read.getArray("privileges")).isEqualTo(read.getArray("inheritedPrivileges")).isNotEmpty();
    }
}
