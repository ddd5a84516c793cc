package dev.sluice.server.fuzz;

import dev.sluice.server.admin.AdminCommands;
import dev.sluice.server.admin.AdminReply;
import dev.sluice.server.admin.AdminSettings;
import dev.sluice.server.admin.FakePoolDirectory;
import dev.sluice.server.client.ClientPipeline;
import dev.sluice.server.client.ClientSession;
import dev.sluice.server.client.HelloResponder;
import dev.sluice.server.client.LocalCommands;
import dev.sluice.server.client.SessionServices;
import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.registry.ConnectionRegistry;
import dev.sluice.server.route.CursorTable;
import dev.sluice.server.route.OwnerCleanup;
import dev.sluice.server.route.Router;
import dev.sluice.server.route.TransactionTable;
import dev.sluice.server.upstream.UpstreamCluster;
import dev.sluice.server.wire.Compressor;
import dev.sluice.server.wire.FrameDecoder;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.bson.BsonDocument;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One client connection as the mongodb connector builds it ({@link ClientPipeline}: frames, session; compression joins when the client compresses) in an
 * EmbeddedChannel, with real admin commands, router and registry over a given upstream cluster.
 */
final class SessionFixture {
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    private final ConnectionRegistry registry;
    private final Router router;
    private final ClientSession session;
    private final EmbeddedChannel channel;

    SessionFixture(UpstreamCluster cluster, int maxMessageSize) {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        registry = new ConnectionRegistry(clock);
        router = new Router(cluster, new CursorTable(), new TransactionTable());
        AdminCommands admin = new AdminCommands(registry, new FakePoolDirectory().host("127.0.0.1:1", 0, 0, 0, 10, 0),
                new AdminSettings(100, "7.0.0-sluice", "fuzz:27016", NOW), clock);
        LocalCommands local = new LocalCommands() {
            @Override
            public boolean handles(String commandName, dev.sluice.server.wire.CommandBody command, String database) {
                return admin.handles(commandName, command, database);
            }

            @Override
            public CompletionStage<Reply> execute(String commandName, BsonDocument command, String database,
                                                  ConnectionEntry caller) {
                // synchronously, so the EmbeddedChannel sees the reply at once (the server runs it on the admin thread)
                AdminReply r = admin.execute(commandName, command, database, caller);
                return CompletableFuture.completedFuture(new Reply(r.reply(), r.afterReply()));
            }
        };
        SessionServices services = new SessionServices(registry, router,
                new OwnerCleanup(router, UnpooledByteBufAllocator.DEFAULT), new HelloResponder(clock, maxMessageSize),
                local, cluster, List.of(Compressor.values()), maxMessageSize, System::nanoTime);
        session = new ClientSession(services, () -> { });
        channel = new EmbeddedChannel(ClientPipeline.handlers(new FrameDecoder(maxMessageSize), services, session));
    }

    ConnectionRegistry registry() {
        return registry;
    }

    Router router() {
        return router;
    }

    ClientSession session() {
        return session;
    }

    EmbeddedChannel channel() {
        return channel;
    }
}
