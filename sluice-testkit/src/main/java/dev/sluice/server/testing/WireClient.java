package dev.sluice.server.testing;

import dev.sluice.server.wire.MessageHeader;
import dev.sluice.server.wire.OpCode;
import dev.sluice.server.wire.OpMsg;
import dev.sluice.server.wire.OpReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** A blocking wire-protocol client for tests that need frames the drivers hide (exhaust, OP_QUERY, raw sessions). */
final class WireClient implements AutoCloseable {
    private static final AtomicInteger REQUEST_IDS = new AtomicInteger(1_000_000);

    /** A reply: its header fields and its (first) document. */
    record Reply(int requestId, int responseTo, int flags, BsonDocument body) {
        boolean moreToCome() {
            return (flags & OpMsg.MORE_TO_COME) != 0;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private WireClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static WireClient connect(SimulatedMember member) throws IOException {
        return new WireClient(new Socket("127.0.0.1", member.port()));
    }

    /** Sends an OP_MSG; returns its requestId. */
    int send(BsonDocument body, int flags) throws IOException {
        int id = REQUEST_IDS.incrementAndGet();
        ByteBuf frame = OpMsg.encode(ByteBufAllocator.DEFAULT, id, 0, flags, body);
        write(frame);
        return id;
    }

    /** Sends {@code body} as an OP_MSG and returns the reply's body. */
    BsonDocument command(BsonDocument body) throws IOException {
        int id = send(body, 0);
        Reply reply = receive();
        if (reply.responseTo() != id) {
            throw new IOException("responseTo: " + reply.responseTo() + " (expected: " + id + ")");
        }
        return reply.body();
    }

    /** Sends a legacy OP_QUERY command on {@code db.$cmd} and returns the OP_REPLY's document. */
    BsonDocument legacyCommand(String db, BsonDocument command, int flags) throws IOException {
        int id = REQUEST_IDS.incrementAndGet();
        byte[] ns = (db + ".$cmd").getBytes(StandardCharsets.UTF_8);
        RawBsonDocument raw = new RawBsonDocument(command, new BsonDocumentCodec());
        ByteBuf frame = Unpooled.buffer();
        MessageHeader.write(frame, 0, id, 0, OpCode.OP_QUERY.code());
        frame.writeIntLE(flags).writeBytes(ns).writeByte(0).writeIntLE(0).writeIntLE(-1);
        frame.writeBytes(raw.getByteBuffer().asNIO());
        frame.setIntLE(0, frame.writerIndex());
        write(frame);
        return receive().body();
    }

    Reply receive() throws IOException {
        int length = Integer.reverseBytes(in.readInt());
        byte[] bytes = new byte[length];
        bytes[0] = (byte) length;
        bytes[1] = (byte) (length >> 8);
        bytes[2] = (byte) (length >> 16);
        bytes[3] = (byte) (length >> 24);
        in.readFully(bytes, 4, length - 4);
        ByteBuf frame = Unpooled.wrappedBuffer(bytes);
        if (frame.getIntLE(12) == OpCode.OP_REPLY.code()) {
            OpReply reply = OpReply.parse(frame);
            return new Reply(reply.requestId(), reply.responseTo(), reply.responseFlags(), reply.documents().get(0));
        }
        OpMsg msg = OpMsg.parse(frame);
        return new Reply(msg.requestId(), msg.responseTo(), msg.flags(), msg.body());
    }

    /** Whether the server closed (or reset) the connection: the next read ends. */
    boolean isClosedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private void write(ByteBuf frame) throws IOException {
        try {
            byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            out.write(bytes);
            out.flush();
        } finally {
            frame.release();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
