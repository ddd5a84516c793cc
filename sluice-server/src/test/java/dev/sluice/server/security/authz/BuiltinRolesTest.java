package dev.sluice.server.security.authz;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.server.security.authz.ActionType.*;
import static org.assertj.core.api.Assertions.assertThat;

class BuiltinRolesTest {
    private final RoleGraph graph = RoleGraph.builtinOnly();

    private PrivilegeSet privilegesOf(String role, String db) {
        return graph.resolve(List.of(new RoleName(role, db))).privileges();
    }

    private boolean onCluster(String role, ActionType action) {
        return privilegesOf(role, "admin").isAuthorized(Resource.cluster(), action);
    }

    @Test
    void sluiceActionsLiveWhereMongodPutsThem() {
        assertThat(onCluster("clusterMonitor", SERVER_STATUS)).isTrue();
        assertThat(onCluster("clusterMonitor", CONN_POOL_STATS)).isTrue();
        assertThat(onCluster("clusterMonitor", INPROG)).isTrue();
        assertThat(onCluster("clusterMonitor", DROP_CONNECTIONS)).isFalse();
        assertThat(onCluster("clusterMonitor", KILLOP)).isFalse();

        assertThat(onCluster("hostManager", DROP_CONNECTIONS)).isTrue();
        assertThat(onCluster("hostManager", KILLOP)).isTrue();
        assertThat(onCluster("hostManager", SERVER_STATUS)).isFalse();

        assertThat(onCluster("clusterManager", DROP_CONNECTIONS)).isFalse();
        assertThat(onCluster("clusterManager", INPROG)).isFalse();

        assertThat(onCluster("backup", SERVER_STATUS)).isTrue();
        for (String role : List.of("clusterAdmin", "root")) {
            for (ActionType action : List.of(DROP_CONNECTIONS, CONN_POOL_STATS, SERVER_STATUS, INPROG, KILLOP)) {
                assertThat(onCluster(role, action)).as(role + " " + action).isTrue();
            }
        }
        for (String role : List.of("readAnyDatabase", "readWriteAnyDatabase", "dbAdminAnyDatabase",
                "userAdminAnyDatabase")) {
            assertThat(onCluster(role, DROP_CONNECTIONS)).as(role).isFalse();
            assertThat(onCluster(role, INPROG)).as(role).isFalse();
        }
    }

    @Test
    void rootDoesNotHoldAnyActionOnlySystemDoes() {
        assertThat(privilegesOf("root", "admin").isAuthorized(Resource.anyResource(), ANY_ACTION)).isFalse();
        assertThat(privilegesOf("__system", "admin").isAuthorized(Resource.anyResource(), ANY_ACTION)).isTrue();
    }

    @Test
    void databaseRolesApplyToTheirDatabase() {
        PrivilegeSet read = privilegesOf("read", "shop");
        assertThat(read.isAuthorized(Resource.namespace("shop", "orders"), FIND)).isTrue();
        assertThat(read.isAuthorized(Resource.namespace("shop", "orders"), INSERT)).isFalse();
        assertThat(read.isAuthorized(Resource.namespace("shop", "system.js"), FIND)).isTrue();
        assertThat(read.isAuthorized(Resource.namespace("blog", "posts"), FIND)).isFalse();

        PrivilegeSet owner = privilegesOf("dbOwner", "shop");
        assertThat(owner.isAuthorized(Resource.database("shop"), CREATE_USER)).as("via userAdmin").isTrue();
        assertThat(owner.isAuthorized(Resource.database("shop"), DROP_DATABASE)).as("via dbAdmin").isTrue();
        assertThat(owner.isAuthorized(Resource.namespace("shop", "orders"), INSERT)).as("via readWrite").isTrue();
        assertThat(privilegesOf("dbAdmin", "shop").isAuthorized(Resource.namespace("shop", "orders"), FIND))
                .as("dbAdmin does not read data").isFalse();
    }

    @Test
    void anyDatabaseRolesStopAtSystemCollectionsAndLocalConfig() {
        PrivilegeSet readWriteAny = privilegesOf("readWriteAnyDatabase", "admin");
        assertThat(readWriteAny.isAuthorized(Resource.namespace("x", "y"), INSERT)).isTrue();
        assertThat(readWriteAny.isAuthorized(Resource.namespace("x", "y"), FIND)).isTrue();
        assertThat(readWriteAny.isAuthorized(Resource.namespace("admin", "system.users"), FIND)).isFalse();
        assertThat(readWriteAny.isAuthorized(Resource.namespace("config", "settings"), INSERT)).isFalse();
        assertThat(readWriteAny.isAuthorized(Resource.cluster(), LIST_DATABASES)).isTrue();
    }

    @Test
    void adminOnlyRolesExistOnlyInAdmin() {
        assertThat(BuiltinRoles.isBuiltin(new RoleName("root", "admin"))).isTrue();
        assertThat(BuiltinRoles.isBuiltin(new RoleName("root", "shop"))).isFalse();
        assertThat(BuiltinRoles.isBuiltin(new RoleName("read", "shop"))).isTrue();
        assertThat(BuiltinRoles.rolesOf("shop")).extracting(RoleName::role)
                .containsExactly("dbAdmin", "dbOwner", "enableSharding", "read", "readWrite", "userAdmin");
        assertThat(BuiltinRoles.rolesOf("admin")).extracting(RoleName::role).contains("root", "clusterMonitor")
                .doesNotContain("__system");
    }
}
