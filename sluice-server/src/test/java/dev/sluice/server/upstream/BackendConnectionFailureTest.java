package dev.sluice.server.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request sent on a connection that has just broken fails with the reason it broke: on io_uring the upstream's TLS
 * alert (refusing Sluice's client certificate) can be read in the same turn of the loop as the handshake's end, before
 * the monitor's hello is sent.
 */
class BackendConnectionFailureTest {

    @Test
    void aRequestOnABrokenConnectionCarriesTheFirstCause() {
        EmbeddedChannel channel = new EmbeddedChannel();
        BackendConnection connection = new BackendConnection(channel, "db1:27017", 1, 0, -1, true);
        connection.fail(new UpstreamException(UpstreamException.Kind.HOST_UNREACHABLE, "db1:27017",
                "TLS with upstream db1:27017 failed: the upstream refused Sluice's client certificate"));
        connection.fail(new UpstreamException(UpstreamException.Kind.NETWORK_ERROR, "db1:27017",
                "connection to upstream db1:27017 closed"));

        AtomicReference<UpstreamException> failed = new AtomicReference<>();
        ByteBuf frame = Unpooled.buffer().writeZero(16);
        connection.send(frame, "hello", recording(failed), null);

        assertThat(frame.refCnt()).isZero();
        assertThat(failed.get().getMessage()).isEqualTo("connection to upstream db1:27017 is closed: TLS with upstream "
                + "db1:27017 failed: the upstream refused Sluice's client certificate");
        assertThat(failed.get().kind()).isEqualTo(UpstreamException.Kind.NETWORK_ERROR);
    }

    @Test
    void aClosedConnectionWithoutACauseSaysClosed() {
        EmbeddedChannel channel = new EmbeddedChannel();
        BackendConnection connection = new BackendConnection(channel, "db1:27017", 1, 0, -1, true);
        channel.close();
        AtomicReference<UpstreamException> failed = new AtomicReference<>();
        connection.send(Unpooled.buffer().writeZero(16), "hello", recording(failed), null);
        assertThat(failed.get().getMessage()).isEqualTo("connection to upstream db1:27017 is closed");
    }

    /** A listener that releases replies and keeps the failure. */
    private static ReplyListener recording(AtomicReference<UpstreamException> failed) {
        return new ReplyListener() {
            @Override
            public void onReply(ByteBuf reply, boolean moreToCome) {
                reply.release();
            }

            @Override
            public void onFailure(UpstreamException cause) {
                failed.set(cause);
            }
        };
    }
}
