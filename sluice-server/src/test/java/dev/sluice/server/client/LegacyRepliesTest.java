package dev.sluice.server.client;

import dev.sluice.server.wire.OpCode;
import dev.sluice.server.wire.OpMsg;
import dev.sluice.server.wire.OpQuery;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class LegacyRepliesTest {

    @Test
    void anOpQueryCommandBecomesItsElementsWithDbAsTheDocumentApiWouldBuildIt() {
        String[] commands = {"{count: 'orders', query: {a: {$gt: 1}}, limit: 5}", "{ping: 1}",
                "{find: 'c', filter: {}, $db: 'elsewhere', lsid: {id: 1}}",
                "{$query: {count: 'orders'}, $readPreference: {mode: 'secondaryPreferred'}}",
                "{$query: {count: 'orders', $readPreference: {mode: 'primary'}, $db: 'x'}, $readPreference: {mode: 'nearest'}}",
                "{query: {count: 'c'}, $readPreference: {mode: 'secondary'}}"};
        for (String json : commands) {
            OpQuery query = parse("shop.$cmd", BsonDocument.parse(json));
            RawBsonDocument body = LegacyReplies.opMsgBody(query);
            assertThat(body).as(json).isEqualTo(reference(query));
            assertThat(body.getString("$db").getValue()).isEqualTo("shop");
            assertThat(body.getFirstKey()).as(json).isEqualTo(query.commandName());
            ByteBuf frame = LegacyReplies.toOpMsg(query, body, UnpooledByteBufAllocator.DEFAULT);
            try {
                OpMsg msg = OpMsg.parse(frame);
                assertThat(msg.requestId()).isEqualTo(query.requestId());
                assertThat(msg.body()).isEqualTo(body);
            } finally {
                frame.release();
            }
        }
    }

    @Test
    void aCommandOfManyFieldsIsCopiedInOnePass() {
        BsonDocument command = new BsonDocument("count", new BsonString("c"));
        for (int i = 0; i < 200_000; i++) {
            command.append(Integer.toHexString(i), i % 2 == 0 ? BsonNull.VALUE : new BsonInt32(i));
        }
        OpQuery query = parse("big.$cmd", command);
        RawBsonDocument body = LegacyReplies.opMsgBody(query);
        assertThat(body.size()).isEqualTo(200_002);
        assertThat(body).isEqualTo(reference(query));
    }

    /** What the conversion gave when it went through the document API. */
    private static BsonDocument reference(OpQuery query) {
        BsonDocument body = new BsonDocument();
        for (var e : query.commandDocument().entrySet()) {
            body.append(e.getKey(), e.getValue());
        }
        body.append("$db", new BsonString(query.database()));
        if (query.readPreference() != null) {
            body.append("$readPreference", query.readPreference());
        }
        return body;
    }

    private static OpQuery parse(String fullCollectionName, BsonDocument query) {
        ByteBuffer bson = new RawBsonDocument(query, new BsonDocumentCodec()).getByteBuffer().asNIO();
        ByteBuf frame = Unpooled.buffer();
        frame.writeIntLE(0).writeIntLE(77).writeIntLE(0).writeIntLE(OpCode.OP_QUERY.code());
        frame.writeIntLE(0).writeBytes(fullCollectionName.getBytes(StandardCharsets.UTF_8)).writeByte(0)
                .writeIntLE(0).writeIntLE(-1).writeBytes(bson);
        frame.setIntLE(0, frame.readableBytes());
        try {
            return OpQuery.parse(frame);
        } finally {
            frame.release();
        }
    }
}
