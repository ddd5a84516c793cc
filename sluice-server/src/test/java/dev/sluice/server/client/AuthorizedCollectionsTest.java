package dev.sluice.server.client;

import dev.sluice.server.security.authz.ActionType;
import dev.sluice.server.security.authz.Privilege;
import dev.sluice.server.security.authz.PrivilegeSet;
import dev.sluice.server.security.authz.Resource;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuthorizedCollectionsTest {
    private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);
    private static final PrivilegeSet ORDERS_AND_ANY_LOGS = PrivilegeSet.of(
            Privilege.of(Resource.namespace("shop", "orders"), ActionType.FIND),
            Privilege.of(Resource.namespace("blog", "posts"), ActionType.FIND),
            Privilege.of(Resource.collectionInAnyDatabase("logs"), ActionType.INSERT));

    private static OpMsg msg(String json) {
        ByteBuf frame = OpMsg.encode(ALLOC, 5, 0, 0, BsonDocument.parse(json));
        try {
            return OpMsg.parse(frame);
        } finally {
            frame.release();
        }
    }

    private static BsonDocument narrowed(String json, PrivilegeSet privileges) {
        ByteBuf frame = OpMsg.encode(ALLOC, 5, 0, 0, BsonDocument.parse(json));
        ByteBuf out = AuthorizedCollections.narrow(frame, OpMsg.parse(frame), privileges, "shop", ALLOC);
        assertThat(frame.refCnt()).isZero();
        try {
            OpMsg m = OpMsg.parse(out);
            assertThat(m.requestId()).isEqualTo(5);
            return m.body();
        } finally {
            out.release();
        }
    }

    @Test
    void narrowsOnlyAuthorizedNameOnlyRequestsOfAUserWithoutListCollections() {
        String asked = "{listCollections: 1, nameOnly: true, authorizedCollections: true, $db: 'shop'}";
        assertThat(AuthorizedCollections.narrows(msg(asked).body(), ORDERS_AND_ANY_LOGS, "shop")).isTrue();
        assertThat(AuthorizedCollections.narrows(msg("{listCollections: 1, nameOnly: true, $db: 'shop'}").body(),
                ORDERS_AND_ANY_LOGS, "shop")).isFalse();
        assertThat(AuthorizedCollections.narrows(msg("{listCollections: 1, nameOnly: true, authorizedCollections: "
                + "true, filter: 'x', $db: 'shop'}").body(), ORDERS_AND_ANY_LOGS, "shop")).as("upstream refuses it").isFalse();
        assertThat(AuthorizedCollections.narrows(msg(asked).body(), PrivilegeSet.of(Privilege.of(Resource.database("shop"),
                ActionType.LIST_COLLECTIONS)), "shop")).isFalse();
        assertThat(AuthorizedCollections.narrows(msg(asked).body(), PrivilegeSet.of(Privilege.of(Resource.anyResource(),
                ActionType.FIND)), "shop")).isFalse();
    }

    @Test
    void theFilterHoldsTheUsersNamesAndKeepsTheClientsOwn() {
        assertThat(narrowed("{listCollections: 1, nameOnly: true, authorizedCollections: true, $db: 'shop'}",
                ORDERS_AND_ANY_LOGS)).isEqualTo(BsonDocument.parse("{listCollections: 1, nameOnly: true, "
                + "authorizedCollections: true, $db: 'shop', filter: {$or: [{name: {$in: ['logs', 'orders']}}]}}"));
        assertThat(narrowed("{listCollections: 1, filter: {type: 'view'}, nameOnly: true, authorizedCollections: true}",
                ORDERS_AND_ANY_LOGS)).isEqualTo(BsonDocument.parse("{listCollections: 1, filter: {$and: [{type: "
                + "'view'}, {$or: [{name: {$in: ['logs', 'orders']}}]}]}, nameOnly: true, authorizedCollections: true}"));
        assertThat(narrowed("{listCollections: 1, nameOnly: true, authorizedCollections: true}",
                PrivilegeSet.of(Privilege.of(Resource.database("shop"), ActionType.FIND))))
                .isEqualTo(BsonDocument.parse("{listCollections: 1, nameOnly: true, authorizedCollections: true, "
                        + "filter: {$or: [{name: {$in: []}}, {name: {$not: {$regularExpression: {pattern: '^system\\\\.', options: ''}}}}]}}"));
    }

    @Test
    void theReplysFirstBatchIsFilteredForABackendThatIgnoresTheFilter() {
        ByteBuf reply = OpMsg.encode(ALLOC, 9, 5, 0, BsonDocument.parse("{cursor: {id: {$numberLong: '0'}, "
                + "ns: 'shop.$cmd.listCollections', firstBatch: [{name: 'orders', type: 'collection'}, {name: 'items', "
                + "type: 'collection'}, {name: 'logs', type: 'collection'}]}, ok: 1.0}"));
        ByteBuf out = AuthorizedCollections.filterReply(reply, ORDERS_AND_ANY_LOGS, "shop", ALLOC);
        assertThat(reply.refCnt()).isZero();
        OpMsg m = OpMsg.parse(out);
        assertThat(m.responseTo()).isEqualTo(5);
        assertThat(m.body()).isEqualTo(BsonDocument.parse("{cursor: {id: {$numberLong: '0'}, ns: "
                + "'shop.$cmd.listCollections', firstBatch: [{name: 'orders', type: 'collection'}, {name: 'logs', "
                + "type: 'collection'}]}, ok: 1.0}"));
        out.release();
        ByteBuf error = OpMsg.encode(ALLOC, 9, 5, 0, BsonDocument.parse("{ok: 0.0, code: 13}"));
        assertThat(AuthorizedCollections.filterReply(error, ORDERS_AND_ANY_LOGS, "shop", ALLOC)).isSameAs(error);
        error.release();
    }
}
