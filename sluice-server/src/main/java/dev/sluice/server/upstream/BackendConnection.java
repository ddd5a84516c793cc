package dev.sluice.server.upstream;

import dev.sluice.server.wire.Compressor;
import dev.sluice.server.wire.MessageHeader;
import dev.sluice.server.wire.OpCode;
import dev.sluice.server.wire.OpMsg;
import dev.sluice.server.wire.UpstreamCompression;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One pooled connection to an upstream host. It carries one request at a time (or one exhaust
 * stream). All state changes run on the channel's event loop; {@link #send} may be called from any
 * thread.
 */
public final class BackendConnection {
    private static final AtomicInteger REQUEST_IDS = new AtomicInteger();
    /** How long a reply nobody waits for any more is awaited when socketTimeoutMS is 0 (none). */
    static final long DEFAULT_DRAIN_TIMEOUT_MS = 5_000;

    private final Channel channel;
    private final String host;
    private final long id;
    private volatile long socketTimeoutMS;
    private final int lane;
    private final boolean exhaustSupported;
    private volatile int maxWireVersion;
    private volatile boolean broken;
    /** Why the connection broke, first cause only (event loop); null while usable or when it just closed. */
    private UpstreamException failure;
    /** The upstream answered the handshake's hello (authentication, if any, comes next). */
    private volatile boolean helloAnswered;
    /** The mongos behind a load balancer this connection reached (its handshake's serviceId), or null. */
    private volatile org.bson.types.ObjectId serviceId;
    private volatile int serviceGeneration;
    private volatile ServiceGenerations services;

    private ReplyListener current;
    private ScheduledFuture<?> timeout;

    /**
     * @param exhaustSupported false for an upstream that cannot parse exhaustAllowed (the embedded
     *                         backend closes the connection on it): the flag is cleared before sending,
     *                         which OP_MSG allows (the server may always answer with a single reply)
     */
    BackendConnection(Channel channel, String host, long id, long socketTimeoutMS, int lane, boolean exhaustSupported) {
        this.lane = lane;
        this.exhaustSupported = exhaustSupported;
        this.channel = channel;
        this.host = host;
        this.id = id;
        this.socketTimeoutMS = socketTimeoutMS;
    }

    public String host() {
        return host;
    }

    public long id() {
        return id;
    }

    /** The event-loop pool this connection belongs to. */
    public int lane() {
        return lane;
    }

    public int maxWireVersion() {
        return maxWireVersion;
    }

    /** Whether the upstream answered this connection's hello: a later failure of its set-up is authentication's. */
    boolean helloAnswered() {
        return helloAnswered;
    }

    /** The event loop all of this connection's work runs on. */
    io.netty.channel.EventLoop eventLoop() {
        return channel.eventLoop();
    }

    io.netty.buffer.ByteBufAllocator alloc() {
        return channel.alloc();
    }

    /**
     * Changes the reply timeout of later requests (a monitor's awaitable hello waits longer than a check).
     *
     * @param value milliseconds, 0 = none
     */
    void socketTimeoutMS(long value) {
        socketTimeoutMS = value;
    }

    void handshakeDone(int maxWireVersion, Compressor compressor) {
        this.maxWireVersion = maxWireVersion;
        this.helloAnswered = true;
        UpstreamCompression compression = channel.pipeline().get(UpstreamCompression.class);
        if (compression != null) {
            compression.use(compressor); // the pipeline compresses later requests
        }
    }

    /**
     * Behind a load balancer: the service this connection reached, and its generation in {@code services} now.
     */
    void service(org.bson.types.ObjectId id, ServiceGenerations generations) {
        this.serviceGeneration = generations.current(id);
        this.services = generations;
        this.serviceId = id;
    }

    /** The {@code serviceId} of the mongos this connection reached through a load balancer, or null. */
    public org.bson.types.ObjectId serviceId() {
        return serviceId;
    }

    /** The generation of this connection's service when it was opened (load-balanced upstream only). */
    public int serviceGeneration() {
        return serviceGeneration;
    }

    /**
     * Behind a load balancer: true once this connection's service was cleared since it opened (CMAP: perished; an
     * in-use connection finishes its work, pinned ones included, and is closed when checked out again).
     */
    boolean serviceCleared() {
        ServiceGenerations s = services;
        return s != null && s.current(serviceId) != serviceGeneration;
    }

    /** False once an error left the connection in an unknown state, or it closed. */
    public boolean isUsable() {
        return !broken && channel.isActive();
    }

    /**
     * How long a reply whose client went away is still awaited (read and dropped) before this
     * connection is closed instead of returned: socketTimeoutMS, or 5 s when it is 0 (none).
     */
    public long drainTimeoutMS() {
        return socketTimeoutMS > 0 ? socketTimeoutMS : DEFAULT_DRAIN_TIMEOUT_MS;
    }

    /** Runs {@code task} on this connection's event loop after {@code delayMS}. */
    public void schedule(Runnable task, long delayMS) {
        channel.eventLoop().schedule(task, delayMS, TimeUnit.MILLISECONDS);
    }

    /** The next request id for frames Sluice sends upstream. */
    public static int nextRequestId() {
        return REQUEST_IDS.incrementAndGet() & Integer.MAX_VALUE;
    }

    /**
     * Sends one request frame (ownership passes to this connection). With {@code listener} null the
     * request expects no reply (moreToCome) and {@code onWritten} runs once it is written.
     *
     * @param commandName the command's name (the pipeline reads it from the frame to decide on compression)
     */
    public void send(ByteBuf frame, String commandName, ReplyListener listener, Runnable onWritten) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> send(frame, commandName, listener, onWritten));
            return;
        }
        if (!isUsable()) {
            frame.release();
            // the cause, when one broke it: a TLS alert read in the same turn of the loop as the handshake's end
            // (the upstream refusing Sluice's certificate) must reach the request, not just "closed"
            UpstreamException f = failure;
            UpstreamException e = f == null
                    ? new UpstreamException(UpstreamException.Kind.NETWORK_ERROR, host, "connection to upstream " + host
                            + " is closed")
                    : new UpstreamException(UpstreamException.Kind.NETWORK_ERROR, host, "connection to upstream " + host + " is closed: "
                            + f.getMessage(), f);
            if (listener != null) {
                listener.onFailure(e);
            } else if (onWritten != null) {
                onWritten.run();
            }
            return;
        }
        if (!exhaustSupported) {
            clearExhaustAllowed(frame);
        }
        current = listener;
        if (listener != null) {
            armTimeout();
        }
        if (onWritten == null) {
            // no future per request: a failed write reaches BackendHandler.exceptionCaught, which fails this
            // connection (and the request in flight) as a network error, as the listener below does
            channel.writeAndFlush(frame, channel.voidPromise());
            return;
        }
        channel.writeAndFlush(frame).addListener(f -> {
            if (!f.isSuccess()) {
                fail(new UpstreamException(UpstreamException.Kind.NETWORK_ERROR, host,
                        "write to upstream " + host + " failed: " + f.cause().getMessage(), f.cause()));
            }
            if (onWritten != null) {
                onWritten.run();
            }
        });
    }

    private static void clearExhaustAllowed(ByteBuf frame) {
        if (MessageHeader.opCodeOf(frame) == OpCode.OP_MSG.code()
                && (OpMsg.flags(frame) & OpMsg.EXHAUST_ALLOWED) != 0) {
            OpMsg.setFlags(frame, OpMsg.flags(frame) & ~OpMsg.EXHAUST_ALLOWED);
        }
    }

    /** Called by the handler on the event loop with each reply frame. */
    void deliver(ByteBuf frame, boolean moreToCome) {
        ReplyListener listener = current;
        if (listener == null) {
            frame.release();
            fail(new UpstreamException(UpstreamException.Kind.PROTOCOL_ERROR, host,
                    "unexpected reply from upstream " + host + " with no request in flight"));
            return;
        }
        cancelTimeout();
        if (moreToCome) {
            armTimeout();
        } else {
            current = null;
        }
        listener.onReply(frame, moreToCome);
    }

    /** Fails the request in flight (if any) and closes the connection: its state is unknown. */
    void fail(UpstreamException cause) {
        if (failure == null) {
            failure = cause;
        }
        broken = true;
        cancelTimeout();
        ReplyListener listener = current;
        current = null;
        if (channel instanceof io.netty.channel.socket.DuplexChannel duplex && channel.isActive()) {
            // the upstream sees the end now: on io_uring close() only queues the socket's close behind its
            // pending read, and the slot this connection held of maxConnectionsPerHost / fleet.connectionBudget is
            // released when close() returns
            duplex.shutdown();
        }
        channel.close();
        if (listener != null) {
            listener.onFailure(cause);
        }
    }

    /** Runs {@code action} once the connection's channel has closed (whoever closed it). */
    void whenClosed(Runnable action) {
        channel.closeFuture().addListener(f -> action.run());
    }

    /** Closes the connection (from any thread); a request in flight fails. */
    public void close() {
        broken = true;
        if (channel.eventLoop().inEventLoop()) {
            fail(new UpstreamException(UpstreamException.Kind.CLOSED_BY_SLUICE, host, "connection to upstream " + host + " closed by Sluice"));
        } else {
            channel.eventLoop().execute(this::close);
        }
    }

    private void armTimeout() {
        if (socketTimeoutMS > 0) {
            timeout = channel.eventLoop().schedule(() -> fail(new UpstreamException(
                    UpstreamException.Kind.NETWORK_TIMEOUT, host, "no reply from upstream " + host + " within "
                    + socketTimeoutMS + " ms (socketTimeoutMS)")), socketTimeoutMS, TimeUnit.MILLISECONDS);
        }
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    @Override
    public String toString() {
        return "backend-" + id + "@" + host + (serviceId == null ? "" : "/service " + serviceId.toHexString());
    }
}
