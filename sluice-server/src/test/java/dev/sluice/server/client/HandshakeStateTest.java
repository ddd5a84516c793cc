package dev.sluice.server.client;

import dev.sluice.server.wire.Compressor;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HandshakeStateTest {
    private static final List<Compressor> OFFERED = List.of(Compressor.ZSTD, Compressor.ZLIB);

    @Test
    void aHelloWithoutCompressionEndsInTheSharedPlainState() {
        HandshakeState start = HandshakeState.start(OFFERED);
        assertThat(start.done()).isFalse();
        HandshakeState done = start.negotiate(BsonDocument.parse("{hello: 1}"));
        assertThat(done).isSameAs(HandshakeState.DONE_PLAIN);
        assertThat(done.done()).isTrue();
        assertThat(done.compressionReply()).isNull();
        assertThat(HandshakeState.start(OFFERED).negotiate(BsonDocument.parse("{hello: 1, compression: 'zlib'}")))
                .as("not an array: as absent").isSameAs(HandshakeState.DONE_PLAIN);
    }

    @Test
    void theFirstHelloNegotiatesAndLaterHellosKeepIt() {
        HandshakeState done = HandshakeState.start(OFFERED)
                .negotiate(BsonDocument.parse("{hello: 1, compression: ['snappy', 'zlib', 5]}"));
        assertThat(done.done()).isTrue();
        assertThat(done.compressionReply()).containsExactly(Compressor.ZLIB);
        assertThat(done.negotiate(BsonDocument.parse("{hello: 1, compression: ['zstd']}"))).isSameAs(done);
        assertThat(HandshakeState.DONE_PLAIN.negotiate(BsonDocument.parse("{hello: 1, compression: ['zstd']}")))
                .isSameAs(HandshakeState.DONE_PLAIN);
    }
}
