package dev.sluice.pool;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection factory that plays the server's side of a CMAP integration test: the test's {@code failCommand}
 * fail point on {@code hello} (mongod's failCommand: {@code mode} alwaysOn or {@code {times: n}}, {@code
 * blockConnection} with {@code blockTimeMS}, {@code closeConnection}, {@code errorCode}) applied to each connection's
 * handshake, which is part of establishing it. Without a fail point, connections open at once.
 */
final class HelloFailPoint implements ConnectionFactory<Object> {
    private final ScheduledExecutorService timer;
    private final AtomicInteger remaining;
    private final long blockMillis;
    private final boolean close;
    private final Integer errorCode;

    /**
     * @param failPoint the test's {@code failPoint} document, or a missing node for none
     * @param timer     completes blocked handshakes
     */
    HelloFailPoint(JsonNode failPoint, ScheduledExecutorService timer) {
        this.timer = timer;
        JsonNode data = failPoint.path("data");
        boolean onHello = false;
        for (JsonNode c : data.path("failCommands")) {
            onHello |= c.asText().equals("hello") || c.asText().equalsIgnoreCase("isMaster");
        }
        JsonNode mode = failPoint.path("mode");
        int times = !onHello ? 0 : mode.isTextual() && mode.asText().equals("alwaysOn") ? Integer.MAX_VALUE
                : mode.path("times").asInt(0);
        if (onHello && times == 0 && !failPoint.isMissingNode()) {
            throw new IllegalArgumentException("unsupported fail point " + failPoint);
        }
        this.remaining = new AtomicInteger(times);
        this.blockMillis = data.path("blockConnection").asBoolean(false) ? data.path("blockTimeMS").asLong(0) : 0;
        this.close = data.path("closeConnection").asBoolean(false);
        this.errorCode = data.has("errorCode") ? data.path("errorCode").asInt() : null;
    }

    @Override
    public CompletableFuture<Object> open(ConnectionDescriptor descriptor) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        boolean hit = remaining.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0;
        if (!hit) {
            result.complete(descriptor);
            return result;
        }
        Runnable answer = () -> {
            if (close) {
                result.completeExceptionally(new IOException("connection closed by the server (failCommand)"));
            } else if (errorCode != null) {
                result.completeExceptionally(new IOException("hello failed with code " + errorCode + " (failCommand)"));
            } else {
                result.complete(descriptor);
            }
        };
        if (blockMillis > 0) {
            timer.schedule(answer, blockMillis, TimeUnit.MILLISECONDS);
        } else {
            answer.run();
        }
        return result;
    }

    @Override
    public void close(Object connection, ConnectionClosedEvent.Reason reason) {
    }
}
