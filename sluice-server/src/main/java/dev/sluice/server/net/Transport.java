package dev.sluice.server.net;

import dev.sluice.server.config.ConfigException;
import dev.sluice.server.config.NetTransport;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import org.slf4j.LoggerFactory;


/**
 * The network transport of every socket Sluice opens or accepts ({@code net.transport}, {@link NetTransport}):
 * io_uring where the kernel allows it, else native epoll on Linux (both leaner per connection than NIO: no JDK
 * socket objects), else NIO.
 *
 * <p>A channel must live on an event loop of its own transport: the channel classes here are the only ones
 * Sluice's servers, backend connections and DNS queries use.
 */
public record Transport(String name, IoHandlerFactory ioHandlerFactory, Class<? extends ServerChannel> serverChannel,
                        Class<? extends SocketChannel> clientChannel, Class<? extends DatagramChannel> datagramChannel) {

    /**
     * The system property that stands for {@code net.transport} when the configuration leaves it at auto (the
     * benchmarks' own clients read it too): {@code auto}, {@code io_uring}, {@code epoll} or {@code nio}.
     */
    public static final String PROPERTY = "sluice.transport";

    /**
     * Netty's switch for io_uring's {@code IORING_ENTER_NO_IOWAIT} (Linux 6.15+): without it the kernel counts an
     * event loop waiting for completions while reads are pending (always, for a proxy) as waiting for I/O, so an idle
     * Sluice showed its loops in iowait and in the load average. Set before Netty's {@code IoUring} class reads it,
     * unless the operator set it.
     */
    static final String NO_IOWAIT_PROPERTY = "io.netty.iouring.enterNoIoWaitEnabled";

    static {
        if (System.getProperty(NO_IOWAIT_PROPERTY) == null) {
            System.setProperty(NO_IOWAIT_PROPERTY, "true");
        }
    }

    /**
     * Completions one io_uring event loop can hold before the kernel queues the rest aside (slower, and Netty logs a
     * warning each time): 10,000 clients on one loop overflowed Netty's 4,096 in the crowd benchmark. 32,768
     * entries of 16 B are 512 KB per loop.
     */
    static final int COMPLETION_QUEUE_SIZE = 32_768;

    private static final Transport NIO = new Transport("nio", NioIoHandler.newFactory(),
            NioServerSocketChannel.class, NioSocketChannel.class, NioDatagramChannel.class);

    /** The transport {@value #PROPERTY} asks for, or the best available one. */
    public static Transport detect() {
        return detect(NetTransport.AUTO);
    }

    /**
     * The transport {@code choice} names ({@value #PROPERTY} when it is auto), or the best available one for auto.
     *
     * @throws ConfigException when io_uring or epoll is asked for and cannot be used here
     */
    public static Transport detect(NetTransport choice) {
        NetTransport asked = choice;
        String option = "net.transport";
        if (asked == NetTransport.AUTO && !System.getProperty(PROPERTY, "").isBlank()) {
            option = "-D" + PROPERTY;
            asked = NetTransport.parse(System.getProperty(PROPERTY), option);
        }
        switch (asked) {
            case NIO:
                return NIO;
            case IO_URING:
                if (!IoUring.isAvailable()) {
                    throw new ConfigException(option + ": io_uring is not available here (" + IoUring.unavailabilityCause()
                            + "); use auto (io_uring, else epoll, else nio), epoll or nio");
                }
                return ioUring();
            case EPOLL:
                if (!Epoll.isAvailable()) {
                    throw new ConfigException(option + ": epoll is not available here (" + Epoll.unavailabilityCause()
                            + "); use auto or nio");
                }
                return epoll();
            default:
                if (IoUring.isAvailable()) {
                    return ioUring();
                }
                if (Epoll.isAvailable()) {
                    LoggerFactory.getLogger(Transport.class).info("[sluice] transport epoll: io_uring is not available "
                            + "here ({})", String.valueOf(IoUring.unavailabilityCause()));
                    return epoll();
                }
                LoggerFactory.getLogger(Transport.class).info("[sluice] transport nio: neither io_uring ({}) nor "
                        + "epoll ({}) is available here", String.valueOf(IoUring.unavailabilityCause()),
                        String.valueOf(Epoll.unavailabilityCause()));
                return NIO;
        }
    }

    /** Whether {@code choice} can run here (auto and nio always can), and if not, why. */
    public static String unavailability(NetTransport choice) {
        return switch (choice) {
            case IO_URING -> IoUring.isAvailable() ? null : String.valueOf(IoUring.unavailabilityCause());
            case EPOLL -> Epoll.isAvailable() ? null : String.valueOf(Epoll.unavailabilityCause());
            default -> null;
        };
    }

    /**
     * The transport an event loop serves, for channels created on a loop handed in from elsewhere (the DNS
     * queries): NIO for a loop of any other kind.
     */
    public static Transport of(EventLoop loop) {
        if (loop instanceof IoEventLoop io) {
            if (io.isIoType(EpollIoHandler.class)) {
                return epoll();
            }
            if (io.isIoType(IoUringIoHandler.class)) {
                return ioUring();
            }
        }
        return NIO;
    }

    private static Transport epoll() {
        return new Transport("epoll", EpollIoHandler.newFactory(),
                EpollServerSocketChannel.class, EpollSocketChannel.class, EpollDatagramChannel.class);
    }

    private static Transport ioUring() {
        return new Transport("io_uring", IoUringIoHandler.newFactory(new IoUringIoHandlerConfig()
                .setCqSize(COMPLETION_QUEUE_SIZE)),
                IoUringServerSocketChannel.class, IoUringSocketChannel.class, IoUringDatagramChannel.class);
    }

    public EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, ioHandlerFactory);
    }
}
