package dev.sluice.server.fleet;

import dev.sluice.server.config.FleetSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Signed requests to another Sluice of the fleet ({@code POST <its http>/api/fleet/peer}), with the
 * JDK's HTTP client: each bounded by fleet.peerTimeoutMS, each reply by fleet.maxPeerReplyBytes.
 */
public final class PeerClient {
    /** The path every Sluice answers fleet requests on. */
    public static final String PATH = "/api/fleet/peer";

    private final HttpClient http;
    private final FleetSettings settings;
    private final LongSupplier wallMillis;

    public PeerClient(FleetSettings settings, LongSupplier wallMillis) {
        this.settings = settings;
        this.wallMillis = wallMillis;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(settings.peerTimeoutMS()))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Sends {@code body} to {@code peer}; completes with the reply body, or fails with a {@link FleetException}. */
    public CompletableFuture<byte[]> send(InstanceRecord peer, byte[] body, PeerSignature signature) {
        if (peer.http() == null) {
            return CompletableFuture.failedFuture(new FleetException("instance " + peer.id()
                    + " has no HTTP connector to reach it at"));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(peer.http() + PATH))
                .timeout(Duration.ofMillis(settings.peerTimeoutMS()))
                .header("Content-Type", "application/json")
                .header(PeerSignature.HEADER, signature.sign(wallMillis.getAsLong(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).thenApply(response -> {
            try (InputStream in = response.body()) {
                byte[] reply = in.readNBytes(settings.maxPeerReplyBytes() + 1);
                if (reply.length > settings.maxPeerReplyBytes()) {
                    throw new FleetException("instance " + peer.id() + " replied with more than fleet.maxPeerReplyBytes = "
                            + settings.maxPeerReplyBytes() + " bytes");
                }
                if (response.statusCode() != 200) {
                    throw new FleetException("instance " + peer.id() + " at " + peer.http() + " answered "
                            + response.statusCode() + ": " + new String(reply, 0, Math.min(reply.length, 300),
                            java.nio.charset.StandardCharsets.UTF_8));
                }
                return reply;
            } catch (IOException e) {
                throw new FleetException("instance " + peer.id() + " at " + peer.http() + ": " + e);
            }
        }).exceptionallyCompose(e -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            return CompletableFuture.failedFuture(cause instanceof FleetException ? cause
                    : new FleetException("instance " + peer.id() + " at " + peer.http() + " unreachable: " + cause));
        });
    }
}
