package dev.sluice.bench.tls;

import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.config.SluiceConfig;
import dev.sluice.server.testing.TestCertificates;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * TLS through a running Sluice over loopback sockets, per net.tls.provider: {@code newConnection} is what one new
 * client costs (TCP connect, full TLS handshake with Sluice's mongodb connector, the {@code hello} a driver sends
 * first, one {@code ping}, each with its reply, close); {@code pingOnOpenConnection} is the cost per operation on an established TLS connection (one {@code ping}
 * round trip, answered by Sluice itself). The client is the JDK's {@code SSLSocket} in both cases (what the Java
 * driver uses), on the same machine: its share of the work is the same for both providers. Sluice runs in this JVM
 * with its embedded backend, requireTLS, an RSA 2048 certificate from {@code TestCertificates}.
 * See BENCHMARKS.md, "TLS provider", "Through Sluice".
 */
@State(Scope.Benchmark)
public class SluiceTlsConnectBenchmark {
    @Param({"jdk", "openssl"})
    public String provider;

    private SluiceServer sluice;
    private SSLContext client;
    private String host;
    private int port;
    private byte[] hello;
    private byte[] ping;

    @Setup(Level.Trial)
    public void start() throws Exception {
        Path dir = Files.createTempDirectory("sluice-tls-connect-bench");
        TestCertificates certs = TestCertificates.create(dir);
        Path pem = certs.writePem("server.pem", certs.server());
        ConfigFile file = ConfigFile.parse("net:\n  tls: {provider: " + provider + ", mode: requireTLS, "
                + "certificateKeyFile: '" + pem + "'}\n", "bench");
        sluice = new SluiceServer(SluiceConfig.merge(file, "127.0.0.1:0", "127.0.0.1:0", null), Clock.systemUTC()).start();
        if (!sluice.tlsProvider().name().equals(provider)) {
            throw new IllegalStateException("asked for " + provider + ", Sluice uses " + sluice.tlsProvider().name());
        }
        client = certs.clientContext(null);
        host = sluice.mongoAddress().getHostString();
        port = sluice.mongoAddress().getPort();
        hello = opMsg(new BsonDocument("hello", new BsonInt32(1)).append("client", new BsonDocument("driver",
                new BsonDocument("name", new BsonString("bench")).append("version", new BsonString("1"))))
                .append("$db", new BsonString("admin")));
        ping = opMsg(new BsonDocument("ping", new BsonInt32(1)).append("$db", new BsonString("admin")));
    }

    @TearDown(Level.Trial)
    public void stop() {
        sluice.close();
    }

    /** One established TLS connection per benchmark thread. */
    @State(Scope.Thread)
    public static class Open {
        SSLSocket socket;

        @Setup(Level.Trial)
        public void open(SluiceTlsConnectBenchmark b) throws IOException {
            socket = b.connect();
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            socket.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int newConnection() throws IOException {
        try (SSLSocket socket = connect()) {
            return roundTrip(socket, ping);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int pingOnOpenConnection(Open open) throws IOException {
        return roundTrip(open.socket, ping);
    }

    SSLSocket connect() throws IOException {
        SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(host, port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        roundTrip(socket, hello); // as a driver: the connection handshake first (Sluice closes a client without one)
        return socket;
    }

    /** Sends {@code message} and reads the whole reply; returns its length. */
    private static int roundTrip(SSLSocket socket, byte[] message) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(message);
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int length = Integer.reverseBytes(in.readInt());
        if (length < 21 || length > 1 << 20) {
            throw new IOException("reply length " + length);
        }
        in.readFully(new byte[length - 4]);
        return length;
    }

    /** An OP_MSG (opCode 2013) with one body section. */
    private static byte[] opMsg(BsonDocument body) {
        RawBsonDocument raw = new RawBsonDocument(body, new BsonDocumentCodec());
        ByteBuffer doc = raw.getByteBuffer().asNIO();
        int length = 16 + 4 + 1 + doc.remaining();
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(length).putInt(1).putInt(0).putInt(2013).putInt(0).put((byte) 0).put(doc);
        return b.array();
    }
}
