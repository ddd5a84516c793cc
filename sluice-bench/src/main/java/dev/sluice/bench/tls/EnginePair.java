package dev.sluice.bench.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import java.nio.ByteBuffer;

/**
 * A client and a server {@link SSLEngine} wired back to back in memory: what one wraps the other
 * unwraps, with no sockets. The engines come from Netty {@link SslContext}s, so the same code drives
 * the JDK provider and BoringSSL (netty-tcnative); OpenSSL engines are reference counted and released
 * by {@link #close()}.
 */
final class EnginePair implements AutoCloseable {
    private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0);
    private static final int MAX_STEPS = 100;

    private final SSLEngine client;
    private final SSLEngine server;
    /** Client to server and server to client network bytes, in write mode. */
    private final ByteBuffer toServer;
    private final ByteBuffer toClient;
    private final ByteBuffer clientApp;
    private final ByteBuffer serverApp;

    /**
     * {@code peerPort} only names the client's session-cache entry: a new port per pair means a full
     * handshake (no resumption), with the hostname check against "localhost" that Netty 4.2 does by default.
     */
    EnginePair(SslContext clientContext, SslContext serverContext, int appCapacity, int peerPort) {
        this.client = clientContext.newEngine(ByteBufAllocator.DEFAULT, "localhost", peerPort);
        this.server = serverContext.newEngine(ByteBufAllocator.DEFAULT);
        int net = Math.max(64 * 1024, appCapacity * 2);
        this.toServer = ByteBuffer.allocateDirect(net);
        this.toClient = ByteBuffer.allocateDirect(net);
        this.clientApp = ByteBuffer.allocateDirect(Math.max(64 * 1024, appCapacity * 2));
        this.serverApp = ByteBuffer.allocateDirect(Math.max(64 * 1024, appCapacity * 2));
    }

    SSLEngine client() {
        return client;
    }

    SSLEngine server() {
        return server;
    }

    /** A full handshake, both engines, until neither has anything left to send or to read. */
    void handshake() throws SSLException {
        client.beginHandshake();
        server.beginHandshake();
        for (int step = 0; step < MAX_STEPS; step++) {
            boolean moved = pump(client, toClient, toServer, clientApp);
            moved |= pump(server, toServer, toClient, serverApp);
            if (!moved && idle(client) && idle(server) && toServer.position() == 0 && toClient.position() == 0) {
                return;
            }
        }
        throw new SSLException("handshake did not finish in " + MAX_STEPS + " steps: client "
                + client.getHandshakeStatus() + ", server " + server.getHandshakeStatus());
    }

    /**
     * The client wraps {@code payload} (as many records as it takes) and the server unwraps them all;
     * returns the plaintext bytes the server read (must equal the payload's remaining bytes).
     */
    int clientToServer(ByteBuffer payload) throws SSLException {
        toServer.clear();
        while (payload.hasRemaining()) {
            SSLEngineResult r = client.wrap(payload, toServer);
            check(r, "client wrap");
        }
        toServer.flip();
        serverApp.clear();
        while (toServer.hasRemaining()) {
            SSLEngineResult r = server.unwrap(toServer, serverApp);
            check(r, "server unwrap");
        }
        toServer.clear();
        return serverApp.position();
    }

    private static void check(SSLEngineResult r, String what) throws SSLException {
        if (r.getStatus() != SSLEngineResult.Status.OK) {
            throw new SSLException(what + ": " + r);
        }
    }

    private static boolean idle(SSLEngine engine) {
        SSLEngineResult.HandshakeStatus s = engine.getHandshakeStatus();
        return s == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || s == SSLEngineResult.HandshakeStatus.FINISHED;
    }

    /** One round for {@code engine}: read what its peer sent, run tasks, send what it must. */
    private static boolean pump(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer app) throws SSLException {
        boolean moved = false;
        // BoringSSL engines can take in the peer's last flight and move on only at the next unwrap: an engine
        // waiting for its peer gets an unwrap even when nothing new arrived
        if (in.position() > 0 || engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
            SSLEngineResult.HandshakeStatus before = engine.getHandshakeStatus();
            in.flip();
            if (!in.hasRemaining()) {
                app.clear();
                SSLEngineResult r = engine.unwrap(in, app);
                runTasks(engine);
                if (r.getStatus() != SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    check(r, "unwrap");
                }
                moved = engine.getHandshakeStatus() != before;
            }
            while (in.hasRemaining()) {
                app.clear();
                SSLEngineResult r = engine.unwrap(in, app);
                runTasks(engine);
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    break;
                }
                check(r, "unwrap");
                if (r.bytesConsumed() == 0) {
                    break;
                }
                moved = true;
            }
            in.compact();
        }
        runTasks(engine);
        // wrap while the engine has handshake bytes to send; an engine that is not waiting for its peer
        // gets one wrap too (BoringSSL can have its last flight buffered while it reports NOT_HANDSHAKING)
        while (engine.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
            SSLEngineResult r = engine.wrap(EMPTY, out);
            check(r, "wrap");
            runTasks(engine);
            if (r.bytesProduced() == 0) {
                break;
            }
            moved = true;
        }
        return moved;
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    @Override
    public void close() {
        ReferenceCountUtil.release(client);
        ReferenceCountUtil.release(server);
    }
}
