package dev.sluice.server.security.authz;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.sluice.server.security.authz.ActionType.DROP_CONNECTIONS;
import static dev.sluice.server.security.authz.ActionType.FIND;
import static dev.sluice.server.security.authz.ActionType.INSERT;
import static org.assertj.core.api.Assertions.assertThat;

class RoleGraphTest {

    private static RoleGraph graph(RoleDefinition... roles) {
        Map<RoleName, RoleDefinition> byName = new java.util.HashMap<>();
        for (RoleDefinition role : roles) {
            byName.put(role.name(), role);
        }
        return new RoleGraph(name -> Optional.ofNullable(byName.get(name)));
    }

    @Test
    void userDefinedRolesInheritTransitivelyIncludingBuiltins() {
        RoleName reporting = new RoleName("reporting", "shop");
        RoleName auditor = new RoleName("auditor", "admin");
        RoleGraph graph = graph(
                new RoleDefinition(reporting, List.of(Privilege.of(Resource.namespace("shop", "stats"), INSERT)),
                        List.of(new RoleName("read", "shop"))),
                new RoleDefinition(auditor, List.of(), List.of(reporting)));

        ResolvedRoles resolved = graph.resolve(List.of(auditor));

        assertThat(resolved.roles()).containsExactlyInAnyOrder(auditor, reporting, new RoleName("read", "shop"));
        assertThat(resolved.privileges().isAuthorized(Resource.namespace("shop", "orders"), FIND)).isTrue();
        assertThat(resolved.privileges().isAuthorized(Resource.namespace("shop", "stats"), INSERT)).isTrue();
        assertThat(resolved.privileges().isAuthorized(Resource.namespace("shop", "orders"), INSERT)).isFalse();
    }

    @Test
    void cyclesAndMissingRolesAreHarmless() {
        RoleName a = new RoleName("a", "x");
        RoleName b = new RoleName("b", "x");
        RoleName ghost = new RoleName("ghost", "x");
        RoleGraph graph = graph(
                new RoleDefinition(a, List.of(Privilege.of(Resource.namespace("x", "a"), FIND)), List.of(b)),
                new RoleDefinition(b, List.of(Privilege.of(Resource.namespace("x", "b"), FIND)), List.of(a, ghost)));

        ResolvedRoles resolved = graph.resolve(List.of(a));

        assertThat(resolved.roles()).containsExactlyInAnyOrder(a, b);
        assertThat(resolved.missing()).containsExactly(ghost);
        assertThat(resolved.privileges().isAuthorized(Resource.namespace("x", "b"), FIND)).isTrue();
    }

    @Test
    void theSeedsExampleRoleCanDropConnectionsAndNothingElse() {
        RoleName dropper = new RoleName("connectionDropper", "admin");
        RoleGraph graph = graph(new RoleDefinition(dropper,
                List.of(Privilege.fromBson(org.bson.BsonDocument.parse(
                        "{resource: {cluster: true}, actions: ['dropConnections']}"))), List.of()));
        PrivilegeSet privileges = graph.resolve(List.of(dropper)).privileges();
        assertThat(privileges.isAuthorized(Resource.cluster(), DROP_CONNECTIONS)).isTrue();
        assertThat(privileges.isAuthorized(Resource.namespace("a", "b"), FIND)).isFalse();
    }

    @Test
    void builtinNamesWinOverUserDefinedOnes() {
        RoleName fakeRead = new RoleName("read", "shop");
        RoleGraph graph = graph(new RoleDefinition(fakeRead,
                List.of(Privilege.of(Resource.anyResource(), ActionType.ANY_ACTION)), List.of()));
        assertThat(graph.resolve(List.of(fakeRead)).privileges().isAuthorized(Resource.cluster(),
                ActionType.SHUTDOWN)).isFalse();
    }

    @Test
    void aBuiltinRolesOwnCompositionGivesPrivilegesButIsNotReportedAsMongodHasNone() {
        RoleName root = new RoleName("root", "admin");
        ResolvedRoles asRoot = RoleGraph.builtinOnly().resolve(List.of(root));
        assertThat(asRoot.roles()).as("mongod's connectionStatus of a root user").containsExactly(root);
        assertThat(asRoot.privileges().isAuthorized(Resource.cluster(), DROP_CONNECTIONS)).as("clusterAdmin's").isTrue();
        assertThat(asRoot.privileges().isAuthorized(Resource.namespace("shop", "orders"), INSERT)).isTrue();

        RoleName ops = new RoleName("ops", "admin");
        ResolvedRoles custom = graph(new RoleDefinition(ops, List.of(), List.of(root,
                new RoleName("clusterAdmin", "admin")))).resolve(List.of(ops));
        assertThat(custom.roles()).as("what a user-defined role names is reported, built-in internals are not")
                .containsExactlyInAnyOrder(ops, root, new RoleName("clusterAdmin", "admin"));
    }
}
