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

class AuthorizedDatabasesTest {
    private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);
    private static final String MONGOD_REPLY = "{databases: [{name: 'admin', sizeOnDisk: 40960, empty: false},"
            + " {name: 'secret', sizeOnDisk: 3145728, empty: false}, {name: 'shop', sizeOnDisk: 2097152, empty: false}],"
            + " totalSize: 5283840, totalSizeMb: 5, ok: 1.0}";

    private static ByteBuf reply(String json) {
        return OpMsg.encode(ALLOC, 77, 12, 0, BsonDocument.parse(json));
    }

    @Test
    void keepsOnlyTheDatabasesWithAPrivilegeAndTheirTotal() {
        PrivilegeSet readWriteShop = PrivilegeSet.of(Privilege.of(Resource.database("shop"), ActionType.FIND,
                ActionType.INSERT));
        assertThat(AuthorizedDatabases.listsAll(readWriteShop)).isFalse();
        ByteBuf in = reply(MONGOD_REPLY);
        ByteBuf out = AuthorizedDatabases.filter(in, readWriteShop, ALLOC);
        assertThat(in.refCnt()).as("the upstream reply is released").isZero();
        OpMsg msg = OpMsg.parse(out);
        assertThat(msg.requestId()).isEqualTo(77);
        assertThat(msg.responseTo()).as("still answers the client's request").isEqualTo(12);
        assertThat(msg.body()).isEqualTo(BsonDocument.parse("{databases: [{name: 'shop', sizeOnDisk: 2097152,"
                + " empty: false}], totalSize: {$numberLong: '2097152'}, totalSizeMb: {$numberLong: '2'}, ok: 1.0}"));
        out.release();
    }

    @Test
    void aUserWhoMayListThemAllAndRepliesOfAnotherShapeAreLeftAlone() {
        PrivilegeSet listAll = PrivilegeSet.of(Privilege.of(Resource.cluster(), ActionType.LIST_DATABASES));
        assertThat(AuthorizedDatabases.listsAll(listAll)).isTrue();
        ByteBuf all = reply(MONGOD_REPLY);
        assertThat(AuthorizedDatabases.filter(all, listAll, ALLOC)).isSameAs(all);
        all.release();
        ByteBuf withSluices = AuthorizedDatabases.filter(reply("{databases: [{name: 'admin'}, {name: 'sluice'}], "
                + "ok: 1.0}"), listAll, ALLOC);
        assertThat(OpMsg.parse(withSluices).body()).as("Sluice's own database, even for root")
                .isEqualTo(BsonDocument.parse("{databases: [{name: 'admin'}], ok: 1.0}"));
        withSluices.release();
        PrivilegeSet none = PrivilegeSet.empty();
        ByteBuf error = reply("{ok: 0.0, errmsg: 'no', code: 13, codeName: 'Unauthorized'}");
        assertThat(AuthorizedDatabases.filter(error, none, ALLOC)).isSameAs(error);
        error.release();
        ByteBuf nameOnly = AuthorizedDatabases.filter(reply("{databases: [{name: 'a'}, {name: 'b'}], ok: 1.0}"),
                PrivilegeSet.of(Privilege.of(Resource.database("b"), ActionType.FIND)), ALLOC);
        assertThat(OpMsg.parse(nameOnly).body()).isEqualTo(BsonDocument.parse("{databases: [{name: 'b'}], ok: 1.0}"));
        nameOnly.release();
    }
}
