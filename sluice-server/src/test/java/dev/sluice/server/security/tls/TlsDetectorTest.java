package dev.sluice.server.security.tls;

import dev.sluice.server.config.TlsMode;
import dev.sluice.server.config.TlsSettings;
import dev.sluice.server.testing.TestCertificates;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The first bytes decide: TLS gets an SslHandler, plain passes on intact or is closed (requireTLS), split anywhere. */
class TlsDetectorTest {
    /** The first bytes of a MongoDB OP_MSG hello: length 0x116 (its first byte is 0x16, TLS's handshake type). */
    private static final byte[] PLAIN = {0x16, 0x01, 0, 0, 0x2a, 0, 0, 0, 0, 0, 0, 0, (byte) 0xdd, 0x07, 0, 0};

    @TempDir
    Path dir;
    private SslContext context;
    private final List<Channel> refused = new ArrayList<>();

    @BeforeEach
    void setUp() {
        TestCertificates certs = TestCertificates.create(dir);
        Path pem = certs.writePem("server.pem", certs.server());
        context = TlsContextLoader.load(new TlsSettings(TlsMode.REQUIRE_TLS, pem, null, null, false, false)).mongodb();
    }

    @Test
    void plainBytesSplitAtEveryBytePassOnIntactWhenPlainIsAccepted() {
        for (int split = 1; split < PLAIN.length; split++) {
            EmbeddedChannel ch = new EmbeddedChannel(new TlsDetector(context, true, refused::add));
            ch.writeInbound(Unpooled.wrappedBuffer(PLAIN, 0, split));
            ch.writeInbound(Unpooled.wrappedBuffer(PLAIN, split, PLAIN.length - split));
            ByteBuf passed = Unpooled.buffer();
            for (ByteBuf b = ch.readInbound(); b != null; b = ch.readInbound()) {
                passed.writeBytes(b);
                b.release();
            }
            assertThat(io.netty.buffer.ByteBufUtil.getBytes(passed)).as("split at %d", split).isEqualTo(PLAIN);
            assertThat(ch.pipeline().get(TlsDetector.class)).isNull();
            assertThat(ch.isActive()).isTrue();
            passed.release();
            ch.finishAndReleaseAll();
        }
        assertThat(refused).isEmpty();
    }

    @Test
    void plainBytesCloseTheConnectionUnderRequireTls() {
        EmbeddedChannel ch = new EmbeddedChannel(new TlsDetector(context, false, refused::add));
        ch.writeInbound(Unpooled.wrappedBuffer(PLAIN, 0, 4));
        assertThat(ch.isActive()).as("four bytes do not decide").isTrue();
        ch.writeInbound(Unpooled.wrappedBuffer(PLAIN, 4, PLAIN.length - 4));
        assertThat(ch.isActive()).isFalse();
        assertThat(refused).containsExactly(ch);
        assertThat((Object) ch.readInbound()).isNull();
    }

    @Test
    void aTlsClientHelloGetsAnSslHandlerInThePipeline() throws Exception {
        SslContext client = io.netty.handler.ssl.SslContextBuilder.forClient()
                .trustManager(io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE).build();
        EmbeddedChannel clientSide = new EmbeddedChannel(client.newHandler(io.netty.buffer.ByteBufAllocator.DEFAULT));
        ByteBuf hello = clientSide.readOutbound();
        EmbeddedChannel ch = new EmbeddedChannel(new TlsDetector(context, false, refused::add));
        ch.writeInbound(hello.readRetainedSlice(3));
        ch.writeInbound(hello);
        assertThat(ch.pipeline().get(SslHandler.class)).isNotNull();
        assertThat(ch.pipeline().get(TlsDetector.class)).isNull();
        assertThat((Object) ch.readOutbound()).as("the server answered the ClientHello").isNotNull();
        assertThat(refused).isEmpty();
        clientSide.finishAndReleaseAll();
        ch.finishAndReleaseAll();
    }
}
