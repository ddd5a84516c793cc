package dev.sluice.server.route;

import dev.sluice.server.topology.ReadPreference;
import dev.sluice.server.topology.ReadPreferenceMode;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.Map;

/**
 * A command's {@code $readPreference}, added to a frame that has none when Sluice routes it by another read
 * preference than primary (a mongod secondary refuses a command without one).
 */
final class ReadPreferenceArgument {
    static final String FIELD = "$readPreference";

    private ReadPreferenceArgument() {
    }

    /** The document form, as drivers send it. */
    static BsonDocument document(ReadPreference rp) {
        BsonDocument d = new BsonDocument("mode", new BsonString(rp.mode().wireName()));
        if (!rp.tagSets().isEmpty()) {
            BsonArray tags = new BsonArray();
            for (Map<String, String> set : rp.tagSets()) {
                BsonDocument t = new BsonDocument();
                set.forEach((k, v) -> t.append(k, new BsonString(v)));
                tags.add(t);
            }
            d.append("tags", tags);
        }
        rp.maxStalenessSeconds().ifPresent(s -> d.append("maxStalenessSeconds", new BsonInt64(s)));
        return d;
    }

    /** {@code $readPreference: {mode: "primaryPreferred"}}: what a direct connection to a secondary needs. */
    static BsonDocument primaryPreferred() {
        return document(ReadPreference.of(ReadPreferenceMode.PRIMARY_PREFERRED));
    }

    /**
     * A copy of an OP_MSG request frame with {@code $readPreference} added to its body (same request id, flags and
     * document sequences; a checksum is dropped). The given frame is released.
     */
    static ByteBuf add(ByteBuf frame, BsonDocument readPreference) {
        try {
            OpMsg msg = OpMsg.parse(frame);
            BsonDocument body = new BsonDocument();
            for (Map.Entry<String, BsonValue> e : msg.body().entrySet()) {
                body.append(e.getKey(), e.getValue());
            }
            body.append(FIELD, readPreference);
            return OpMsg.encode(frame.alloc(), msg.requestId(), msg.responseTo(), msg.flags() & ~OpMsg.CHECKSUM_PRESENT,
                    body, msg.sequences());
        } finally {
            frame.release();
        }
    }
}
