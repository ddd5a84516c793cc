package dev.sluice.server.security.cluster;

import dev.sluice.server.security.authz.UserName;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceUserCheckTest {
    private static final UserName SVC = new UserName("svc", "admin");

    private static BsonDocument reply(String privileges) {
        return BsonDocument.parse("{users: [{user: 'svc', db: 'admin', credentials: {'SCRAM-SHA-256': {}}, "
                + "inheritedPrivileges: " + privileges + "}], ok: 1}");
    }

    @Test
    void viewUserOnAllDatabasesIsEnough() {
        assertThat(ServiceUserCheck.problem(SVC, reply("[{resource: {db: '', collection: ''}, actions: "
                + "['viewUser', 'createUser']}]"))).isEmpty();
        assertThat(ServiceUserCheck.problem(SVC, reply("[{resource: {anyResource: true}, actions: ['viewUser']}]")))
                .isEmpty();
    }

    @Test
    void viewUserOnOneDatabaseOnlyOrNotAtAllIsNamed() {
        assertThat(ServiceUserCheck.problem(SVC, reply("[{resource: {db: 'admin', collection: ''}, actions: "
                + "['viewUser']}]"))).get().asString().contains("viewUser").contains("userAdminAnyDatabase")
                .contains("svc@admin");
        assertThat(ServiceUserCheck.problem(SVC, reply("[{resource: {db: '', collection: ''}, actions: ['find']}]")))
                .get().asString().contains("viewUser");
    }

    @Test
    void anUpstreamWithoutCredentialsOrARefusalIsNamed() {
        assertThat(ServiceUserCheck.problem(SVC, BsonDocument.parse("{users: [{user: 'svc', db: 'admin', "
                + "inheritedPrivileges: []}], ok: 1}"))).get().asString().contains("showCredentials");
        assertThat(ServiceUserCheck.problem(SVC, BsonDocument.parse("{ok: 0, errmsg: 'not authorized', code: 13}")))
                .get().asString().contains("refused").contains("not authorized");
        assertThat(ServiceUserCheck.problem(SVC, BsonDocument.parse("{users: [], ok: 1}")))
                .get().asString().contains("no such user");
    }
}
