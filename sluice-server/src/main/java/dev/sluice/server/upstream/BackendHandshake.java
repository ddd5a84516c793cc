package dev.sluice.server.upstream;

import dev.sluice.server.Version;
import dev.sluice.server.wire.Compressor;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The handshake Sluice runs on each new backend connection, pooled or monitoring: {@code hello} with Sluice's own
 * client metadata and compressors, falling back to {@code isMaster} for servers without {@code hello} (such as the
 * embedded backend).
 */
final class BackendHandshake {
    private final BackendConnection connection;
    private final String appName;
    private final List<String> compressors;
    private final CompletableFuture<BsonDocument> result = new CompletableFuture<>();
    /** Authenticates the connection after the hello (pooled connections with credentials), or null. */
    private final UpstreamAuthenticator authenticator;
    private final UpstreamAuthenticator.Conversation speculative;
    /** Behind a load balancer: the hello says {@code loadBalanced: true} and the reply must carry a serviceId. */
    private final ServiceGenerations services;

    private BackendHandshake(BackendConnection connection, String appName, List<String> compressors,
                             UpstreamAuthenticator authenticator, ServiceGenerations services) {
        this.services = services;
        this.connection = connection;
        this.appName = appName;
        this.compressors = compressors;
        this.authenticator = authenticator;
        this.speculative = authenticator == null ? null : authenticator.start();
    }

    /**
     * The handshake of a pooled connection, authenticated with {@code authenticator} when not null
     * (speculativeAuthenticate in the hello, then saslContinue).
     */
    static CompletableFuture<UpstreamFeatures> run(BackendConnection connection, ByteBufAllocator alloc,
                                                    String appName, List<String> compressors, boolean legacyFirst,
                                                    UpstreamAuthenticator authenticator) {
        return run(connection, alloc, appName, compressors, legacyFirst, authenticator, null);
    }

    /**
     * As above; with {@code services} not null the upstream is a load balancer: the hello carries
     * {@code loadBalanced: true}, a reply without a {@code serviceId} fails the handshake, and the connection records
     * its service and the service's generation.
     */
    static CompletableFuture<UpstreamFeatures> run(BackendConnection connection, ByteBufAllocator alloc,
                                                    String appName, List<String> compressors, boolean legacyFirst,
                                                    UpstreamAuthenticator authenticator, ServiceGenerations services) {
        BackendHandshake h = new BackendHandshake(connection, appName, compressors, authenticator, services);
        h.send(alloc, legacyFirst ? "isMaster" : "hello");
        if (authenticator == null) {
            return h.result.thenApply(UpstreamFeatures::of);
        }
        return h.result.thenCompose(reply -> authenticator.finish(connection, alloc, h.speculative, reply)
                .thenApply(done -> UpstreamFeatures.of(reply)));
    }

    /**
     * @param legacyFirst start with {@code isMaster} (the embedded backend has no {@code hello})
     * @return what the upstream said about itself (role, wire version, sessions)
     */
    static CompletableFuture<UpstreamFeatures> run(BackendConnection connection, ByteBufAllocator alloc,
                                                    String appName, List<String> compressors, boolean legacyFirst) {
        return run(connection, alloc, appName, compressors, legacyFirst, null);
    }

    /**
     * Runs the handshake and completes with the server's reply ({@code ok: 1}); a failure is an
     * {@link UpstreamException}.
     */
    static CompletableFuture<BsonDocument> reply(BackendConnection connection, ByteBufAllocator alloc,
                                                 String appName, List<String> compressors, boolean legacyFirst) {
        BackendHandshake h = new BackendHandshake(connection, appName, compressors, null, null);
        h.send(alloc, legacyFirst ? "isMaster" : "hello");
        return h.result;
    }

    private void send(ByteBufAllocator alloc, String command) {
        BsonDocument doc = new BsonDocument(command, new BsonInt32(1))
                .append("client", clientMetadata(appName));
        BsonArray offered = new BsonArray();
        for (String c : compressors) {
            offered.add(new BsonString(c));
        }
        doc.append("compression", offered);
        if (services != null) {
            doc.append("loadBalanced", org.bson.BsonBoolean.TRUE);
        }
        if (authenticator != null) {
            authenticator.addToHello(doc, speculative);
        }
        doc.append("$db", new BsonString("admin"));
        ByteBuf frame = OpMsg.encode(alloc, BackendConnection.nextRequestId(), 0, 0, doc);
        connection.send(frame, command, new ReplyListener() {
            @Override
            public void onReply(ByteBuf reply, boolean moreToCome) {
                BsonDocument body;
                try {
                    body = OpMsg.parse(reply).body();
                } catch (RuntimeException e) {
                    result.completeExceptionally(new UpstreamException(UpstreamException.Kind.PROTOCOL_ERROR,
                            connection.host(), "invalid handshake reply from " + connection.host() + ": " + e.getMessage(), e));
                    return;
                } finally {
                    reply.release();
                }
                if (!isOk(body)) {
                    if (command.equals("hello")) {
                        send(alloc, "isMaster");
                        return;
                    }
                    result.completeExceptionally(new UpstreamException(UpstreamException.Kind.HOST_UNREACHABLE,
                            connection.host(), "handshake with upstream " + connection.host() + " failed: " + body.toJson()));
                    return;
                }
                if (services != null) {
                    BsonValue serviceId = body.get("serviceId");
                    if (serviceId == null || !serviceId.isObjectId()) {
                        result.completeExceptionally(new UpstreamException(UpstreamException.Kind.PROTOCOL_ERROR,
                                connection.host(), "upstream " + connection.host() + " answered the handshake without a "
                                + "serviceId: Driver attempted to initialize in load balancing mode, but the server "
                                + "does not support this mode (the upstream URI says loadBalanced=true; remove it "
                                + "unless " + connection.host() + " is a load balancer in front of mongos)"));
                        return;
                    }
                    connection.service(serviceId.asObjectId().getValue(), services);
                }
                connection.handshakeDone(intOf(body.get("maxWireVersion")), negotiated(body));
                result.complete(body);
            }

            @Override
            public void onFailure(UpstreamException cause) {
                result.completeExceptionally(cause);
            }
        }, null);
    }

    private static Compressor negotiated(BsonDocument reply) {
        BsonValue c = reply.get("compression");
        if (c == null || !c.isArray()) {
            return null;
        }
        for (BsonValue v : c.asArray()) {
            if (v.isString()) {
                Compressor compressor = Compressor.byName(v.asString().getValue());
                if (compressor != null) {
                    return compressor;
                }
            }
        }
        return null;
    }

    static boolean isOk(BsonDocument reply) {
        BsonValue ok = reply.get("ok");
        return ok != null && ok.isNumber() && ok.asNumber().doubleValue() == 1.0;
    }

    private static int intOf(BsonValue v) {
        return v != null && v.isNumber() ? v.asNumber().intValue() : 0;
    }

    /** Sluice's own client metadata, sent on every backend connection. */
    static BsonDocument clientMetadata(String appName) {
        BsonDocument client = new BsonDocument();
        if (appName != null) {
            client.append("application", new BsonDocument("name", new BsonString(appName)));
        }
        client.append("driver", new BsonDocument("name", new BsonString("sluice"))
                .append("version", new BsonString(Version.VERSION)));
        client.append("os", new BsonDocument("type", new BsonString(System.getProperty("os.name", "unknown")))
                .append("architecture", new BsonString(System.getProperty("os.arch", "unknown")))
                .append("version", new BsonString(System.getProperty("os.version", "unknown"))));
        client.append("platform", new BsonString("Java/" + System.getProperty("java.version", "?")));
        return client;
    }

}
