package dev.sluice.server.client;

import dev.sluice.server.registry.ConnectionRegistry;
import dev.sluice.server.security.auth.Authenticator;
import dev.sluice.server.security.auth.CommandGate;
import dev.sluice.server.route.OwnerCleanup;
import dev.sluice.server.route.Router;
import dev.sluice.server.upstream.UpstreamCluster;
import dev.sluice.server.wire.Compressor;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * What every client session shares: the small hand-written context that wires the rooms together.
 *
 * @param compressors compressors Sluice offers to clients, in preference order
 * @param ticker      monotonic nanoseconds, for operation durations
 * @param loginTimeoutMS a connection with no handshake within this is closed (0: never)
 * @param authenticator  SASL authentication (null when authentication is off)
 * @param gate           authorization of every command (disabled when authentication is off)
 */
public record SessionServices(ConnectionRegistry registry, Router router, OwnerCleanup cleanup,
                              HelloResponder hello, LocalCommands localCommands, UpstreamCluster cluster,
                              List<Compressor> compressors, int maxMessageSizeBytes, LongSupplier ticker,
                              long loginTimeoutMS, Authenticator authenticator, CommandGate gate) {

    /** Authentication off. */
    public SessionServices(ConnectionRegistry registry, Router router, OwnerCleanup cleanup,
                           HelloResponder hello, LocalCommands localCommands, UpstreamCluster cluster,
                           List<Compressor> compressors, int maxMessageSizeBytes, LongSupplier ticker,
                           long loginTimeoutMS) {
        this(registry, router, cleanup, hello, localCommands, cluster, compressors, maxMessageSizeBytes, ticker,
                loginTimeoutMS, null, new CommandGate(dev.sluice.server.security.UserDirectory.EMPTY, false));
    }

    /** With the default login timeout. */
    public SessionServices(ConnectionRegistry registry, Router router, OwnerCleanup cleanup,
                           HelloResponder hello, LocalCommands localCommands, UpstreamCluster cluster,
                           List<Compressor> compressors, int maxMessageSizeBytes, LongSupplier ticker) {
        this(registry, router, cleanup, hello, localCommands, cluster, compressors, maxMessageSizeBytes, ticker,
                dev.sluice.server.config.LimitSettings.DEFAULT_LOGIN_TIMEOUT_MS);
    }
}
