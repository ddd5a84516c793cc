package dev.sluice.server.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsRecordEncoder;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small authoritative DNS server for tests, on loopback UDP and TCP (same port; TCP serves resolvers that retry a
 * truncated answer), built on Netty's DNS codec. It serves SRV, TXT and A records that the test sets and may change
 * at any time (rescans see the new ones). A name it has no record of any type for is NXDOMAIN; a known name without
 * records of the asked type is an empty NOERROR. {@link #dropQueries} makes it swallow queries (timeouts);
 * {@link #truncateUdp} makes every UDP answer empty and truncated (forcing TCP).
 */
public final class TestDnsServer implements AutoCloseable {

    /** One SRV record: target host, port, TTL in seconds. */
    public record Srv(String target, int port, long ttl) {
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Map<String, List<Srv>> srv = new ConcurrentHashMap<>();
    private final Map<String, List<List<String>>> txt = new ConcurrentHashMap<>();
    private final Map<String, byte[]> a = new ConcurrentHashMap<>();
    private final AtomicInteger udpQueries = new AtomicInteger();
    private final AtomicInteger tcpQueries = new AtomicInteger();
    private volatile boolean drop;
    private volatile boolean truncate;
    private final Channel udp;
    private final Channel tcp;

    private TestDnsServer() throws InterruptedException {
        Channel u = null;
        Channel t = null;
        for (int attempt = 0; attempt < 20 && t == null; attempt++) {
            u = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .handler(new ChannelInitializer<DatagramChannel>() {
                        @Override
                        protected void initChannel(DatagramChannel ch) {
                            ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                    new UdpHandler());
                        }
                    }).bind(NetUtil.LOCALHOST4, 0).sync().channel();
            int port = ((InetSocketAddress) u.localAddress()).getPort();
            try {
                t = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(),
                                        new TcpHandler());
                            }
                        }).bind(NetUtil.LOCALHOST4, port).sync().channel();
            } catch (Exception portTaken) {
                u.close().sync();
            }
        }
        if (t == null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("TestDnsServer: no free port for both UDP and TCP");
        }
        this.udp = u;
        this.tcp = t;
    }

    /** Starts a server on 127.0.0.1 and a free port. */
    public static TestDnsServer start() {
        try {
            return new TestDnsServer();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) udp.localAddress();
    }

    /** "127.0.0.1:PORT", as the dnsServers setting takes it. */
    public String hostAndPort() {
        return "127.0.0.1:" + address().getPort();
    }

    /**
     * Sets (replaces) the SRV records of {@code name}; each target gets an A record for 127.0.0.1.
     *
     * @param targets "host:port" values
     */
    public TestDnsServer srv(String name, long ttl, String... targets) {
        List<Srv> records = new ArrayList<>();
        for (String t : targets) {
            int colon = t.lastIndexOf(':');
            records.add(new Srv(t.substring(0, colon), Integer.parseInt(t.substring(colon + 1)), ttl));
        }
        return srv(name, records);
    }

    /** Sets (replaces) the SRV records of {@code name}; each target gets an A record for 127.0.0.1. */
    public TestDnsServer srv(String name, List<Srv> records) {
        srv.put(key(name), List.copyOf(records));
        for (Srv r : records) {
            a.putIfAbsent(key(r.target()), NetUtil.LOCALHOST4.getAddress());
        }
        return this;
    }

    /** Adds one TXT record to {@code name}, made of these character-strings (each at most 255 bytes). */
    public TestDnsServer txt(String name, String... strings) {
        txt.computeIfAbsent(key(name), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(List.of(strings));
        return this;
    }

    /** Sets the A record of {@code name}. */
    public TestDnsServer a(String name, InetAddress address) {
        a.put(key(name), address.getAddress());
        return this;
    }

    /** Removes every record of {@code name}. */
    public TestDnsServer remove(String name) {
        srv.remove(key(name));
        txt.remove(key(name));
        a.remove(key(name));
        return this;
    }

    /** When true, queries get no answer at all. */
    public void dropQueries(boolean drop) {
        this.drop = drop;
    }

    /** When true, UDP answers are empty with the TC (truncated) flag, so resolvers retry over TCP. */
    public void truncateUdp(boolean truncate) {
        this.truncate = truncate;
    }

    /** Queries received over UDP (answered or not). */
    public int udpQueries() {
        return udpQueries.get();
    }

    /** Queries received over TCP. */
    public int tcpQueries() {
        return tcpQueries.get();
    }

    private static String key(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private void answer(DnsQuestion q, DnsResponse response, boolean truncated) {
        response.setAuthoritativeAnswer(true);
        response.setRecursionAvailable(true);
        response.addRecord(DnsSection.QUESTION, q);
        if (truncated) {
            response.setTruncated(true);
            return;
        }
        String name = key(q.name());
        if (!srv.containsKey(name) && !txt.containsKey(name) && !a.containsKey(name)) {
            response.setCode(DnsResponseCode.NXDOMAIN);
            return;
        }
        if (q.type() == DnsRecordType.SRV) {
            for (Srv r : srv.getOrDefault(name, List.of())) {
                ByteBuf data = Unpooled.buffer();
                data.writeShort(0).writeShort(5).writeShort(r.port());
                NameWriter.INSTANCE.write(r.target(), data);
                response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(q.name(), DnsRecordType.SRV, r.ttl(),
                        data));
            }
        } else if (q.type() == DnsRecordType.TXT) {
            for (List<String> strings : txt.getOrDefault(name, List.of())) {
                ByteBuf data = Unpooled.buffer();
                for (String s : strings) {
                    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                    data.writeByte(bytes.length).writeBytes(bytes);
                }
                response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(q.name(), DnsRecordType.TXT, 60, data));
            }
        } else if (q.type() == DnsRecordType.A && a.containsKey(name)) {
            response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(q.name(), DnsRecordType.A, 60,
                    Unpooled.wrappedBuffer(a.get(name))));
        }
    }

    private final class UdpHandler extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            udpQueries.incrementAndGet();
            if (drop) {
                return;
            }
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            answer(query.recordAt(DnsSection.QUESTION), response, truncate);
            ctx.writeAndFlush(response);
        }
    }

    private final class TcpHandler extends SimpleChannelInboundHandler<DnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
            tcpQueries.incrementAndGet();
            if (drop) {
                return;
            }
            DefaultDnsResponse response = new DefaultDnsResponse(query.id());
            answer(query.recordAt(DnsSection.QUESTION), response, false);
            ctx.writeAndFlush(response);
        }
    }

    /** Netty's own name encoding (labels, no compression), reached through its protected method. */
    private static final class NameWriter extends DefaultDnsRecordEncoder {
        static final NameWriter INSTANCE = new NameWriter();

        void write(String name, ByteBuf out) {
            try {
                encodeName(name.endsWith(".") ? name : name + ".", out);
            } catch (Exception e) {
                throw new IllegalArgumentException("DNS name '" + name + "': " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        udp.close().syncUninterruptibly();
        tcp.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
