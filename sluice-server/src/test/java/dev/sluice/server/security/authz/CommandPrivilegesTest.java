package dev.sluice.server.security.authz;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.server.security.authz.ActionType.*;
import static dev.sluice.server.security.authz.AuthzFixtures.allowed;
import static dev.sluice.server.security.authz.AuthzFixtures.subject;
import static org.assertj.core.api.Assertions.assertThat;

class CommandPrivilegesTest {

    private static CommandRequirement of(String json, String db) {
        return CommandPrivileges.of(BsonDocument.parse(json), db);
    }

    private static List<Privilege> privileges(String json, String db) {
        CommandRequirement requirement = of(json, db);
        assertThat(requirement).isInstanceOf(CommandRequirement.Authorization.class);
        return ((CommandRequirement.Authorization) requirement).privileges();
    }

    @Test
    void handshakeAndAuthenticationCommandsNeedNoAuthentication() {
        for (String name : List.of("hello", "isMaster", "ismaster", "saslStart", "saslContinue", "authenticate",
                "ping", "buildInfo", "buildinfo", "getnonce", "logout", "connectionStatus")) {
            assertThat(of("{" + name + ": 1}", "admin")).as(name)
                    .isEqualTo(new CommandRequirement.NoAuthentication(name));
        }
        assertThat(of("{endSessions: []}", "admin")).isInstanceOf(CommandRequirement.Authorization.class);
    }

    @Test
    void crudPrivilegesAreMongods() {
        Resource orders = Resource.namespace("shop", "orders");
        assertThat(privileges("{find: 'orders'}", "shop")).containsExactly(Privilege.of(orders, FIND));
        assertThat(privileges("{update: 'orders', updates: [{q: {}, u: {}}, {q: {}, u: {}, upsert: true}]}", "shop"))
                .containsExactly(Privilege.of(orders, UPDATE, INSERT));
        assertThat(privileges("{findAndModify: 'orders', query: {}, update: {}, upsert: true, "
                + "bypassDocumentValidation: true}", "shop"))
                .containsExactly(Privilege.of(orders, FIND, UPDATE, INSERT, BYPASS_DOCUMENT_VALIDATION));
        assertThat(privileges("{findAndModify: 'orders', query: {}, remove: true}", "shop"))
                .containsExactly(Privilege.of(orders, FIND, REMOVE));
        assertThat(privileges("{delete: 'orders', deletes: []}", "shop")).containsExactly(Privilege.of(orders, REMOVE));
        assertThat(privileges("{find: UUID('00000000-0000-4000-8000-000000000000')}", "shop"))
                .as("a UUID names no collection: the whole database")
                .containsExactly(Privilege.of(Resource.database("shop"), FIND));
    }

    @Test
    void anInsertsDocumentsAndADeletesStatementsDoNotChangeWhatTheyRequire() {
        // the session leaves these two document sequences out of what authorization reads (ClientSession
        // .withSequences): they must not matter, whatever they hold
        for (String db : List.of("shop", "admin", "config", "local")) {
            for (String coll : List.of("orders", "system.users", "system.js", "system.profile")) {
                assertThat(of("{insert: '" + coll + "', documents: [{_id: 1, upsert: true, $db: 'x', ns: 'a.b'},"
                        + " {a: {insert: 'other'}}], bypassDocumentValidation: true}", db))
                        .as(db + "." + coll).isEqualTo(of("{insert: '" + coll + "', bypassDocumentValidation: true}", db));
                assertThat(of("{delete: '" + coll + "', deletes: [{q: {}, limit: 0}, {q: {a: 1}, limit: 1,"
                        + " upsert: true, ns: 'a.b'}]}", db))
                        .as(db + "." + coll).isEqualTo(of("{delete: '" + coll + "'}", db));
            }
        }
    }

    @Test
    void aggregatePrivilegesCoverLookupAndOutTargets() {
        assertThat(privileges("{aggregate: 'orders', pipeline: [{$lookup: {from: {db: 'vault', coll: 'keys'}, "
                + "as: 'k', pipeline: [{$match: {}}]}}, {$out: {db: 'arch', coll: 'o'}}], cursor: {}, "
                + "bypassDocumentValidation: true}", "shop"))
                .containsExactly(Privilege.of(Resource.namespace("shop", "orders"), FIND),
                        Privilege.of(Resource.namespace("vault", "keys"), FIND),
                        Privilege.of(Resource.namespace("arch", "o"), INSERT, REMOVE, BYPASS_DOCUMENT_VALIDATION));
        assertThat(privileges("{aggregate: 'o', pipeline: [{$merge: {into: 'x', whenMatched: 'fail'}}], cursor: {}}",
                "shop")).contains(Privilege.of(Resource.namespace("shop", "x"), INSERT));
        assertThat(privileges("{aggregate: 'o', pipeline: [{$collStats: {}}], cursor: {}}", "shop"))
                .as("an initial source reads nothing implicitly")
                .containsExactly(Privilege.of(Resource.namespace("shop", "o"), COLL_STATS));
    }

    @Test
    void userManagementNeedsGrantRoleOnEveryRolesDatabase() {
        assertThat(privileges("{createUser: 'bob', pwd: 'x', roles: ['read', {role: 'readWrite', db: 'blog'}]}",
                "shop")).containsExactly(Privilege.of(Resource.database("shop"), CREATE_USER),
                        Privilege.of(Resource.database("shop"), GRANT_ROLE),
                        Privilege.of(Resource.database("blog"), GRANT_ROLE));
        assertThat(privileges("{updateUser: 'bob', roles: []}", "shop"))
                .containsExactly(Privilege.of(Resource.anyNormal(), REVOKE_ROLE));
    }

    @Test
    void usersViewThemselvesAndChangeTheirOwnPasswordWithChangeOwnPassword() {
        RoleName selfService = new RoleName("selfService", "shop");
        RoleGraph graph = new RoleGraph(name -> name.equals(selfService) ? java.util.Optional.of(new RoleDefinition(
                selfService, List.of(Privilege.of(Resource.database("shop"), CHANGE_OWN_PASSWORD)), List.of()))
                : java.util.Optional.empty());
        Subject bob = Subject.of(new UserName("bob", "shop"), graph.resolve(List.of(selfService)));

        assertThat(allowed(bob, "{updateUser: 'bob', pwd: 'new'}", "shop")).isTrue();
        assertThat(allowed(bob, "{updateUser: 'alice', pwd: 'new'}", "shop")).isFalse();
        assertThat(allowed(bob, "{updateUser: 'bob', customData: {a: 1}}", "shop")).isFalse();
        assertThat(allowed(bob, "{usersInfo: 'bob'}", "shop")).isTrue();
        assertThat(allowed(bob, "{usersInfo: {user: 'bob', db: 'shop'}}", "admin")).isTrue();
        assertThat(allowed(bob, "{usersInfo: ['bob', 'alice']}", "shop")).isFalse();
        assertThat(allowed(bob, "{usersInfo: 1}", "shop")).isFalse();
        assertThat(allowed(bob, "{rolesInfo: 'selfService'}", "shop")).as("one's own role").isTrue();
        assertThat(allowed(bob, "{rolesInfo: 'read'}", "shop")).isFalse();
    }

    @Test
    void listCollectionsWithAuthorizedCollectionsNeedsOnlySomeAccessToTheDatabase() {
        Subject oneCollection = Subject.of(new UserName("u", "admin"), new ResolvedRoles(java.util.Set.of(),
                PrivilegeSet.of(Privilege.of(Resource.namespace("shop", "orders"), FIND)), java.util.Set.of()));
        assertThat(allowed(oneCollection, "{listCollections: 1, authorizedCollections: true, nameOnly: true}", "shop"))
                .isTrue();
        assertThat(allowed(oneCollection, "{listCollections: 1, authorizedCollections: true}", "shop")).isFalse();
        assertThat(allowed(oneCollection, "{listCollections: 1, authorizedCollections: true, nameOnly: true}", "blog"))
                .isFalse();
        assertThat(CommandPrivileges.canSeeDatabase(oneCollection.privileges(), "shop")).isTrue();
        assertThat(CommandPrivileges.canSeeDatabase(oneCollection.privileges(), "blog")).isFalse();
        assertThat(allowed(oneCollection, "{listDatabases: 1}", "admin")).as("filtered, not refused").isTrue();
        assertThat(allowed(oneCollection, "{listDatabases: 1, authorizedDatabases: false}", "admin")).isFalse();
    }

    @Test
    void renameWithinADatabaseFollowsMongodsRule() {
        Subject readWrite = subject("u", "admin", "readWrite@shop");
        Subject dbAdmin = subject("u", "admin", "dbAdmin@shop");
        String rename = "{renameCollection: 'shop.a', to: 'shop.b'}";
        assertThat(allowed(readWrite, rename, "admin")).isTrue();
        assertThat(allowed(dbAdmin, rename, "admin")).as("renameCollectionSameDB, reads neither").isTrue();
        assertThat(allowed(readWrite, "{renameCollection: 'shop.a', to: 'blog.b'}", "admin")).isFalse();
        assertThat(allowed(subject("u", "admin", "readWrite@shop", "readWrite@blog"),
                "{renameCollection: 'shop.a', to: 'blog.b'}", "admin")).isTrue();
        assertThat(allowed(readWrite, rename, "shop")).as("admin-only command").isFalse();
    }

    @Test
    void killCursorsAcceptsKillAnyCursor() {
        assertThat(allowed(subject("u", "admin", "hostManager@admin"), "{killCursors: 'orders', cursors: [1]}",
                "shop")).isTrue();
    }

    @Test
    void rowLevelHelpersForSluicesConnectionCommands() {
        assertThat(CommandPrivileges.canSeeAll(subject("u", "admin", "clusterMonitor@admin").privileges())).isTrue();
        assertThat(CommandPrivileges.canKillAll(subject("u", "admin", "clusterMonitor@admin").privileges())).isFalse();
        assertThat(CommandPrivileges.canKillAll(subject("u", "admin", "hostManager@admin").privileges())).isTrue();
        assertThat(CommandPrivileges.canSeeAll(subject("u", "admin", "readWriteAnyDatabase@admin").privileges()))
                .isFalse();
        assertThat(CommandPrivileges.canSeeAll(subject("u", "admin", "root@admin").privileges())).isTrue();
        assertThat(CommandPrivileges.canKillAll(subject("u", "admin", "root@admin").privileges())).isTrue();
    }

    @Test
    void malformedArgumentsAreReportedNotGuessed() {
        assertThat(of("{createUser: 'bob', pwd: 'x', roles: [42]}", "shop"))
                .isInstanceOf(CommandRequirement.Malformed.class);
        assertThat(of("{aggregate: 'o', pipeline: 'nope'}", "shop")).isInstanceOf(CommandRequirement.Malformed.class);
        assertThat(of("{collMod: 'v', viewOn: 'x'}", "shop")).isInstanceOf(CommandRequirement.Malformed.class);
        assertThat(of("{}", "shop")).isInstanceOf(CommandRequirement.Malformed.class);
    }

    @Test
    void nestingIsBounded() {
        String pipeline = "[]";
        for (int i = 0; i < PipelinePrivileges.MAX_DEPTH + 2; i++) {
            pipeline = "[{$facet: {f: " + pipeline + "}}]";
        }
        assertThat(of("{aggregate: 'o', pipeline: " + pipeline + ", cursor: {}}", "shop"))
                .isInstanceOf(CommandRequirement.Malformed.class);
    }

    @Test
    void unknownCommandsAreDeniedByDefault() {
        CommandRequirement requirement = of("{frobnicate: 1}", "shop");
        assertThat(requirement).isInstanceOf(CommandRequirement.UnknownCommand.class);
        assertThat(((CommandRequirement.UnknownCommand) requirement).reason()).contains("frobnicate");
    }
}
