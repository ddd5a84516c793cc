package dev.sluice.server.http;

import dev.sluice.server.registry.ConnectionRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The request and idle deadlines on an embedded channel whose time the test moves. */
class RequestDeadlinesTest {
    private static final long REQUEST_MS = 300;
    private static final long IDLE_MS = 1_000;
    private final ConnectionRegistry registry = new ConnectionRegistry(Clock.systemUTC());
    private EmbeddedChannel channel;

    @BeforeEach
    void open() {
        channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new RequestDeadlines(registry, REQUEST_MS, IDLE_MS), new HttpServerCodec(),
                new HttpObjectAggregator(1024));
        channel.pipeline().fireChannelActive();
    }

    private void receive(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    private void advance(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    private void answer() {
        FullHttpRequest request = channel.readInbound();
        assertThat(request).isNotNull();
        request.release();
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpUtil.setContentLength(response, 0);
        channel.writeAndFlush(response);
        releaseOutbound();
    }

    private String releaseOutbound() {
        StringBuilder text = new StringBuilder();
        for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
            text.append(out.toString(StandardCharsets.US_ASCII));
            out.release();
        }
        return text.toString();
    }

    @Test
    void aRequestIncompleteAfterHttpRequestTimeoutMSGets408AndIsClosed() {
        receive("GET / HTTP/1.1\r\nHost: a\r\n");
        advance(REQUEST_MS - 1);
        receive("X-More: 1\r\n");
        assertThat(channel.isActive()).isTrue();
        advance(1);
        assertThat(releaseOutbound()).startsWith("HTTP/1.1 408 Request Timeout").contains("httpRequestTimeoutMS");
        assertThat(channel.isActive()).isFalse();
        assertThat(registry.limitCloses("http", "httpRequestTimeoutMS")).isEqualTo(1);
        assertThat(registry.limitCloses("http", "httpIdleTimeoutMS")).isZero();
    }

    @Test
    void keepAliveRequestsEachGetTheirOwnDeadlineAndTheIdleTimerRestartsAfterEachResponse() {
        for (int i = 0; i < 5; i++) {
            receive("GET / HTTP/1.1\r\n");
            advance(REQUEST_MS - 10);
            receive("Host: a\r\n\r\n");
            answer();
            advance(IDLE_MS - 10);
            assertThat(channel.isActive()).as("request %d", i).isTrue();
        }
        advance(10);
        assertThat(channel.isActive()).isFalse();
        assertThat(releaseOutbound()).isEmpty();
        assertThat(registry.limitCloses("http", "httpIdleTimeoutMS")).isEqualTo(1);
        assertThat(registry.limitCloses("http", "httpRequestTimeoutMS")).isZero();
    }

    @Test
    void aConnectionThatNeverSendsIsClosedAfterHttpIdleTimeoutMS() {
        advance(IDLE_MS - 1);
        assertThat(channel.isActive()).isTrue();
        advance(1);
        assertThat(channel.isActive()).isFalse();
        assertThat(registry.limitCloses("http", "httpIdleTimeoutMS")).isEqualTo(1);
    }
}
