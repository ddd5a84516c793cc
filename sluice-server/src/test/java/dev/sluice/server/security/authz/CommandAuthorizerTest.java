package dev.sluice.server.security.authz;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static dev.sluice.server.security.authz.AuthzFixtures.subject;
import static org.assertj.core.api.Assertions.assertThat;

class CommandAuthorizerTest {

    private static AuthorizationDecision decide(String json, String db, Subject subject) {
        return CommandAuthorizer.authorize(BsonDocument.parse(json), db, Optional.ofNullable(subject));
    }

    @Test
    void refusalUsesMongodsWordingAndCode13() {
        AuthorizationDecision decision = decide(
                "{insert: 'orders', ordered: true, lsid: {id: UUID('4b2a1d6e-58f3-4f3c-9a7e-2b1c6d3e4f50')}, "
                        + "$db: 'shop'}", "shop", subject("u", "admin", "read@shop"));

        assertThat(decision).isEqualTo(new AuthorizationDecision.Denied(13, "Unauthorized",
                "not authorized on shop to execute command { insert: \"orders\", ordered: true, "
                        + "lsid: { id: UUID(\"4b2a1d6e-58f3-4f3c-9a7e-2b1c6d3e4f50\") }, $db: \"shop\" }"));
        BsonDocument reply = ((AuthorizationDecision.Denied) decision).toReply();
        assertThat(reply.getDouble("ok").getValue()).isZero();
        assertThat(reply.getInt32("code").getValue()).isEqualTo(13);
        assertThat(reply.getString("codeName").getValue()).isEqualTo("Unauthorized");
    }

    @Test
    void unauthenticatedCallersAreToldTheCommandRequiresAuthentication() {
        assertThat(decide("{find: 'orders'}", "shop", null)).isEqualTo(new AuthorizationDecision.Denied(13,
                "Unauthorized", "Command find requires authentication"));
        assertThat(decide("{hello: 1}", "admin", null)).isInstanceOf(AuthorizationDecision.Allowed.class);
        assertThat(decide("{saslStart: 1, mechanism: 'SCRAM-SHA-256', payload: ''}", "admin", null))
                .isInstanceOf(AuthorizationDecision.Allowed.class);
        assertThat(decide("{frobnicate: 1}", "shop", null)).isEqualTo(new AuthorizationDecision.Denied(13,
                "Unauthorized", "Command frobnicate requires authentication"));
    }

    @Test
    void adminOnlyCommandsAreRefusedElsewhereFirst() {
        assertThat(decide("{dropConnections: 1, hostAndPort: []}", "shop", subject("u", "admin", "root@admin")))
                .isEqualTo(new AuthorizationDecision.Denied(13, "Unauthorized",
                        "dropConnections may only be run against the admin database."));
        assertThat(decide("{listDatabases: 1}", "shop", null)).extracting(d -> ((AuthorizationDecision.Denied) d)
                .errmsg()).isEqualTo("listDatabases may only be run against the admin database.");
    }

    @Test
    void passwordsNeverReachTheMessage() {
        AuthorizationDecision decision = decide("{createUser: 'bob', pwd: 'hunter2', roles: []}", "shop",
                subject("u", "admin", "read@shop"));
        assertThat(((AuthorizationDecision.Denied) decision).errmsg())
                .isEqualTo("not authorized on shop to execute command { createUser: \"bob\", pwd: \"xxx\", roles: [] }")
                .doesNotContain("hunter2");
    }

    @Test
    void malformedCommandsGetFailedToParse() {
        AuthorizationDecision decision = decide("{createUser: 'bob', pwd: 'x', roles: [42]}", "shop",
                subject("u", "admin", "root@admin"));
        assertThat(decision).isInstanceOf(AuthorizationDecision.Denied.class);
        assertThat(((AuthorizationDecision.Denied) decision).code()).isEqualTo(9);
    }

    @Test
    void theMessagePrintsValuesAsMongodDoesAndStaysBounded() {
        String message = UnauthorizedMessage.notAuthorized("d", BsonDocument.parse("{find: 'c', filter: {a: 1.0, "
                + "b: 2.5, c: NumberLong(3), d: {$oid: '5f1d7c1b9d1e8a0b1c2d3e4f'}, e: [], f: {}, g: null, "
                + "h: 'q\"uote'}, $db: 'd'}"));
        assertThat(message).isEqualTo("not authorized on d to execute command { find: \"c\", filter: { a: 1.0, "
                + "b: 2.5, c: 3, d: ObjectId('5f1d7c1b9d1e8a0b1c2d3e4f'), e: [], f: {}, g: null, h: \"q\\\"uote\" }, "
                + "$db: \"d\" }");

        StringBuilder big = new StringBuilder("{find: 'c', filter: {$or: [");
        for (int i = 0; i < 1000; i++) {
            big.append("{a: ").append(i).append("},");
        }
        big.append("{}]}}");
        String bounded = UnauthorizedMessage.notAuthorized("d", BsonDocument.parse(big.toString()));
        assertThat(bounded.length()).isLessThan(UnauthorizedMessage.MAX_COMMAND_CHARS + 100);
        assertThat(bounded).endsWith("...");
    }
}
