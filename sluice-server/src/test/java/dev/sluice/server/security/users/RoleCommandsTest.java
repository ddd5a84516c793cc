package dev.sluice.server.security.users;

import dev.sluice.server.security.authz.ActionType;
import dev.sluice.server.security.authz.Privilege;
import dev.sluice.server.security.authz.Resource;
import dev.sluice.server.security.authz.RoleDefinition;
import dev.sluice.server.security.authz.RoleName;
import dev.sluice.server.security.authz.UserName;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import static dev.sluice.server.security.users.UsersFixture.assertError;
import static org.assertj.core.api.Assertions.assertThat;

class RoleCommandsTest {
    private final UsersFixture fx = new UsersFixture();

    private RoleDefinition role(String role, String db) {
        return fx.store.snapshot().role(new RoleName(role, db)).orElseThrow();
    }

    @Test
    void createRoleStoresMongodsRoleDocument() {
        fx.ok("test", "{createRole: 'app', privileges: [{resource: {db: 'test', collection: 'c'}, actions: ['find', 'insert']}],"
                + " roles: ['read']}");
        RoleDefinition app = role("app", "test");
        assertThat(app.privileges()).containsExactly(Privilege.of(Resource.namespace("test", "c"), ActionType.FIND,
                ActionType.INSERT));
        assertThat(app.roles()).containsExactly(new RoleName("read", "test"));
        BsonDocument stored = fx.storage.loadAll().roles().get(0);
        assertThat(stored).isEqualTo(BsonDocument.parse("{_id: 'test.app', role: 'app', db: 'test', privileges: "
                + "[{resource: {db: 'test', collection: 'c'}, actions: ['find', 'insert']}], "
                + "roles: [{role: 'read', db: 'test'}]}"));
        assertThat(fx.audited).singleElement().extracting(AuditEvent::target).isEqualTo("app@test");
    }

    @Test
    void createRoleRefusals() {
        fx.ok("test", "{createRole: 'app', privileges: [], roles: []}");
        assertError(fx.run("test", "{createRole: 'app', privileges: [], roles: []}"), 51002, "Location51002",
                "Role \"app@test\" already exists");
        assertError(fx.run("test", "{createRole: 'read', privileges: [], roles: []}"), 2, "BadValue",
                "Cannot create roles with the same name as a built-in role");
        assertError(fx.run("test", "{createRole: 'x', roles: []}"), 40414, "Location40414",
                "BSON field 'createRole.privileges' is missing but a required field");
        assertError(fx.run("test", "{createRole: 'x', privileges: [], roles: ['nosuch']}"), 31, "RoleNotFound",
                "Could not find role: nosuch@test");
        assertError(fx.run("test", "{createRole: 'x', privileges: [], roles: [{role: 'read', db: 'other'}]}"), 49,
                "InvalidRoleModification", "Roles on the 'test' database cannot be granted roles from other databases");
        assertError(fx.run("test", "{createRole: 'x', privileges: [{resource: {cluster: true}, actions: ['inprog']}],"
                + " roles: []}"), 49, "InvalidRoleModification",
                "Roles on the 'test' database cannot be granted privileges that target other databases or the cluster");
        assertError(fx.run("test", "{createRole: 'x', privileges: [{resource: {db: 'test', collection: ''}, "
                + "actions: ['fly']}], roles: []}"), 9, "FailedToParse", "Unrecognized action privilege string: fly");
        assertError(fx.run("test", "{createRole: 'x', privileges: [], roles: ['x']}"), 49, "InvalidRoleModification",
                "Cannot grant role x@test to itself.");
        assertError(fx.run("local", "{createRole: 'x', privileges: [], roles: []}"), 2, "BadValue",
                "Cannot create roles in the local database");
        assertThat(fx.store.snapshot().roles()).hasSize(1);
    }

    @Test
    void anAdminRoleMayHoldClusterPrivilegesAndRolesOfAnyDatabase() {
        fx.ok("admin", "{createRole: 'ops', privileges: [{resource: {cluster: true}, actions: ['inprog']}],"
                + " roles: [{role: 'read', db: 'test'}]}");
        assertThat(role("ops", "admin").roles()).containsExactly(new RoleName("read", "test"));
    }

    @Test
    void cyclesInRoleInheritanceAreRefused() {
        fx.ok("test", "{createRole: 'a', privileges: [], roles: []}");
        fx.ok("test", "{createRole: 'b', privileges: [], roles: ['a']}");
        fx.ok("test", "{createRole: 'c', privileges: [], roles: ['b']}");
        assertError(fx.run("test", "{grantRolesToRole: 'a', roles: ['c']}"), 49, "InvalidRoleModification",
                "Granting c@test to a@test would introduce a cycle in the role graph.");
        assertError(fx.run("test", "{updateRole: 'a', roles: ['b']}"), 49, "InvalidRoleModification",
                "Granting b@test to a@test would introduce a cycle in the role graph.");
        assertThat(role("a", "test").roles()).isEmpty();
    }

    @Test
    void builtinRolesCannotBeModifiedOrDropped() {
        assertError(fx.run("test", "{dropRole: 'read'}"), 49, "InvalidRoleModification",
                "read@test is a built-in role and cannot be modified.");
        assertError(fx.run("test", "{grantPrivilegesToRole: 'readWrite', privileges: [{resource: {db: 'test', "
                + "collection: ''}, actions: ['find']}]}"), 49, "InvalidRoleModification", null);
        assertError(fx.run("admin", "{grantRolesToRole: 'root', roles: ['read']}"), 49, "InvalidRoleModification",
                "root@admin is a built-in role and cannot be modified.");
    }

    @Test
    void dropRoleRemovesItFromEveryUserAndRoleHoldingIt() {
        fx.ok("test", "{createRole: 'app', privileges: [{resource: {db: 'test', collection: ''}, actions: ['find']}],"
                + " roles: []}");
        fx.ok("test", "{createRole: 'outer', privileges: [], roles: ['app', 'read']}");
        fx.ok("test", "{createUser: 'u1', pwd: 'pw', roles: ['app', 'readWrite']}");
        fx.ok("test", "{createUser: 'u2', pwd: 'pw', roles: ['outer']}");
        assertThat(fx.store.subject(new UserName("u2", "test")).orElseThrow().privileges()
                .isAuthorized(Resource.namespace("test", "c"), ActionType.FIND)).isTrue();

        fx.ok("test", "{dropRole: 'app'}");

        UserSnapshot snapshot = fx.store.snapshot();
        assertThat(snapshot.role(new RoleName("app", "test"))).isEmpty();
        assertThat(snapshot.user(new UserName("u1", "test")).orElseThrow().roles())
                .containsExactly(new RoleName("readWrite", "test"));
        assertThat(role("outer", "test").roles()).containsExactly(new RoleName("read", "test"));
        assertThat(fx.storage.loadAll().toString()).doesNotContain("'app'").doesNotContain("\"app\"");
        assertError(fx.run("test", "{dropRole: 'app'}"), 31, "RoleNotFound", "Could not find role: app@test");
    }

    @Test
    void dropAllRolesFromDatabasePullsEveryRoleOfTheDatabaseAsMongodDoes() {
        fx.ok("test", "{createRole: 'a', privileges: [], roles: []}");
        fx.ok("test", "{createRole: 'b', privileges: [], roles: ['a']}");
        fx.ok("admin", "{createRole: 'keep', privileges: [], roles: [{role: 'a', db: 'test'}, {role: 'read', db: 'x'}]}");
        fx.ok("test", "{createUser: 'u', pwd: 'pw', roles: ['a', 'read', {role: 'read', db: 'x'}]}");

        BsonDocument reply = fx.ok("test", "{dropAllRolesFromDatabase: 1}");

        assertThat(reply.getInt32("n").getValue()).isEqualTo(2);
        assertThat(fx.store.snapshot().roles()).extracting(RoleDefinition::name)
                .containsExactly(new RoleName("keep", "admin"));
        assertThat(role("keep", "admin").roles()).containsExactly(new RoleName("read", "x"));
        assertThat(fx.store.snapshot().user(new UserName("u", "test")).orElseThrow().roles())
                .containsExactly(new RoleName("read", "x"));
    }

    @Test
    void updateRoleReplacesWhatIsGiven() {
        fx.ok("test", "{createRole: 'r', privileges: [{resource: {db: 'test', collection: ''}, actions: ['find']}],"
                + " roles: ['read']}");
        fx.ok("test", "{updateRole: 'r', privileges: [{resource: {db: 'test', collection: 'c'}, actions: ['insert']}]}");
        assertThat(role("r", "test").privileges()).containsExactly(Privilege.of(Resource.namespace("test", "c"),
                ActionType.INSERT));
        assertThat(role("r", "test").roles()).containsExactly(new RoleName("read", "test"));
        assertError(fx.run("test", "{updateRole: 'r'}"), 2, "BadValue",
                "Must specify at least one field to update in updateRole");
        assertError(fx.run("test", "{updateRole: 'nosuch', roles: []}"), 31, "RoleNotFound",
                "Could not find role: nosuch@test");
    }

    @Test
    void grantAndRevokePrivilegesMergeByResource() {
        fx.ok("test", "{createRole: 'r', privileges: [{resource: {db: 'test', collection: 'c'}, actions: ['find']}],"
                + " roles: []}");
        fx.ok("test", "{grantPrivilegesToRole: 'r', privileges: [{resource: {db: 'test', collection: 'c'}, "
                + "actions: ['insert']}, {resource: {db: 'test', collection: ''}, actions: ['listCollections']}]}");
        assertThat(role("r", "test").privileges()).containsExactly(
                Privilege.of(Resource.namespace("test", "c"), ActionType.FIND, ActionType.INSERT),
                Privilege.of(Resource.database("test"), ActionType.LIST_COLLECTIONS));
        fx.ok("test", "{revokePrivilegesFromRole: 'r', privileges: [{resource: {db: 'test', collection: 'c'}, "
                + "actions: ['find', 'insert']}, {resource: {db: 'test', collection: 'other'}, actions: ['find']}]}");
        assertThat(role("r", "test").privileges()).containsExactly(
                Privilege.of(Resource.database("test"), ActionType.LIST_COLLECTIONS));
        assertError(fx.run("test", "{grantPrivilegesToRole: 'r', privileges: []}"), 2, "BadValue",
                "\"grantPrivilegesToRole\" command requires a non-empty \"privileges\" array");
        assertError(fx.run("test", "{grantPrivilegesToRole: 'nosuch', privileges: [{resource: {db: 'test', "
                + "collection: ''}, actions: ['find']}]}"), 31, "RoleNotFound", "Could not find role: nosuch@test");
    }

    @Test
    void grantAndRevokeRolesToRole() {
        fx.ok("test", "{createRole: 'r', privileges: [], roles: []}");
        fx.ok("test", "{grantRolesToRole: 'r', roles: ['read', 'readWrite', 'read']}");
        assertThat(role("r", "test").roles()).containsExactly(new RoleName("read", "test"),
                new RoleName("readWrite", "test"));
        fx.ok("test", "{revokeRolesFromRole: 'r', roles: ['read']}");
        assertThat(role("r", "test").roles()).containsExactly(new RoleName("readWrite", "test"));
        assertError(fx.run("test", "{grantRolesToRole: 'r', roles: ['nosuch']}"), 31, "RoleNotFound",
                "Could not find role: nosuch@test");
    }
}
