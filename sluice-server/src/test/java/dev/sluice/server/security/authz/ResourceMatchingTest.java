package dev.sluice.server.security.authz;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import static dev.sluice.server.security.authz.ActionType.FIND;
import static dev.sluice.server.security.authz.ActionType.INSERT;
import static dev.sluice.server.security.authz.ActionType.LIST_COLLECTIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResourceMatchingTest {

    private static boolean grants(Resource pattern, Resource target) {
        return PrivilegeSet.of(Privilege.of(pattern, FIND)).isAuthorized(target, FIND);
    }

    @Test
    void anyNormalMatchesNormalCollectionsAndDatabasesOutsideLocalAndConfig() {
        Resource anyNormal = Resource.anyNormal();
        assertThat(grants(anyNormal, Resource.namespace("shop", "orders"))).isTrue();
        assertThat(grants(anyNormal, Resource.database("shop"))).isTrue();
        assertThat(grants(anyNormal, Resource.namespace("shop", "system.users"))).isFalse();
        assertThat(grants(anyNormal, Resource.namespace("local", "oplog.rs"))).isFalse();
        assertThat(grants(anyNormal, Resource.namespace("config", "chunks"))).isFalse();
        assertThat(grants(anyNormal, Resource.database("config"))).isFalse();
        assertThat(grants(anyNormal, Resource.cluster())).isFalse();
    }

    @Test
    void databasePatternMatchesItsNormalCollectionsOnly() {
        Resource shop = Resource.database("shop");
        assertThat(grants(shop, Resource.namespace("shop", "orders"))).isTrue();
        assertThat(grants(shop, Resource.database("shop"))).isTrue();
        assertThat(grants(shop, Resource.namespace("shop", "system.js"))).isFalse();
        assertThat(grants(shop, Resource.namespace("shopping", "orders"))).isFalse();
        assertThat(grants(Resource.database("local"), Resource.namespace("local", "startup_log"))).isTrue();
    }

    @Test
    void collectionNamePatternMatchesThatNameInEveryDatabaseSystemOnesIncluded() {
        Resource js = Resource.collectionInAnyDatabase("system.js");
        assertThat(grants(js, Resource.namespace("a", "system.js"))).isTrue();
        assertThat(grants(js, Resource.namespace("b", "system.js"))).isTrue();
        assertThat(grants(js, Resource.namespace("b", "js"))).isFalse();
    }

    @Test
    void anyResourceMatchesEverythingAndClusterOnlyItself() {
        assertThat(grants(Resource.anyResource(), Resource.namespace("a", "system.users"))).isTrue();
        assertThat(grants(Resource.anyResource(), Resource.cluster())).isTrue();
        assertThat(grants(Resource.cluster(), Resource.cluster())).isTrue();
        assertThat(grants(Resource.cluster(), Resource.namespace("a", "b"))).isFalse();
    }

    @Test
    void actionsAddUpAcrossMatchingPatterns() {
        PrivilegeSet set = PrivilegeSet.of(Privilege.of(Resource.anyNormal(), FIND),
                Privilege.of(Resource.database("shop"), INSERT));
        assertThat(set.isAuthorized(Privilege.of(Resource.namespace("shop", "orders"), FIND, INSERT))).isTrue();
        assertThat(set.isAuthorized(Privilege.of(Resource.namespace("blog", "posts"), FIND, INSERT))).isFalse();
    }

    @Test
    void anyActionGrantsEveryAction() {
        PrivilegeSet system = PrivilegeSet.of(Privilege.of(Resource.anyResource(), ActionType.ANY_ACTION));
        assertThat(system.isAuthorized(Resource.cluster(), ActionType.SHUTDOWN)).isTrue();
        assertThat(system.isAuthorized(Resource.namespace("a", "system.users"), INSERT)).isTrue();
    }

    @Test
    void anyActionInDatabaseFollowsMongodsRules() {
        assertThat(PrivilegeSet.of(Privilege.of(Resource.namespace("shop", "orders"), FIND))
                .hasAnyActionInDatabase("shop")).isTrue();
        assertThat(PrivilegeSet.of(Privilege.of(Resource.namespace("shop", "orders"), FIND))
                .hasAnyActionInDatabase("blog")).isFalse();
        assertThat(PrivilegeSet.of(Privilege.of(Resource.anyNormal(), FIND)).hasAnyActionInDatabase("config"))
                .isFalse();
        assertThat(PrivilegeSet.of(Privilege.of(Resource.collectionInAnyDatabase("x"), FIND))
                .hasAnyActionInDatabase("anything")).isTrue();
        assertThat(PrivilegeSet.of(Privilege.of(Resource.cluster(), LIST_COLLECTIONS))
                .hasAnyActionInDatabase("shop")).isFalse();
    }

    @Test
    void bsonShapesRoundTripAndBadShapesAreExplained() {
        for (String json : new String[] {"{\"db\": \"a\", \"collection\": \"b\"}", "{\"db\": \"a\", \"collection\": \"\"}",
            "{\"db\": \"\", \"collection\": \"b\"}", "{\"db\": \"\", \"collection\": \"\"}", "{\"cluster\": true}",
            "{\"anyResource\": true}"}) {
            assertThat(Resource.fromBson(BsonDocument.parse(json)).toBson()).isEqualTo(BsonDocument.parse(json));
        }
        assertThatThrownBy(() -> Resource.fromBson(BsonDocument.parse("{db: 'a'}")))
                .hasMessageContaining("expected: {db: <string>, collection: <string>}");
        assertThatThrownBy(() -> Privilege.fromBson(BsonDocument.parse(
                "{resource: {cluster: true}, actions: ['fly']}")))
                .hasMessage("Unrecognized action privilege string: fly");
    }
}
