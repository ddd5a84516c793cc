package dev.sluice.server.proxy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** A raw-socket client for bad-input tests: writes bytes, reads whole frames back. */
final class RawWire implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    RawWire(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(5_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame, or null when the server closed the connection. */
    byte[] readFrame() throws IOException {
        byte[] len = new byte[4];
        try {
            in.readFully(len);
        } catch (java.io.EOFException e) {
            return null;
        }
        int length = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt();
        byte[] frame = new byte[length];
        System.arraycopy(len, 0, frame, 0, 4);
        in.readFully(frame, 4, length - 4);
        return frame;
    }

    /** True when the server closes the connection within the socket timeout. */
    boolean closedByServer() throws IOException {
        InputStream raw = socket.getInputStream();
        try {
            while (true) {
                int b = raw.read();
                if (b < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** An OP_MSG frame with one body section holding {@code bson}. */
    static byte[] opMsg(int requestId, int flags, byte[] bson) {
        ByteBuffer b = ByteBuffer.allocate(16 + 4 + 1 + bson.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(16 + 4 + 1 + bson.length).putInt(requestId).putInt(0).putInt(2013);
        b.putInt(flags).put((byte) 0).put(bson);
        return b.array();
    }

    /** {hello: 1, $db: "admin"} as BSON. */
    static byte[] helloDoc() {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0);
        b.put((byte) 0x10).put("hello".getBytes(StandardCharsets.UTF_8)).put((byte) 0).putInt(1);
        b.put((byte) 0x02).put("$db".getBytes(StandardCharsets.UTF_8)).put((byte) 0).putInt(6)
                .put("admin".getBytes(StandardCharsets.UTF_8)).put((byte) 0);
        b.put((byte) 0);
        int len = b.position();
        b.putInt(0, len);
        byte[] out = new byte[len];
        b.flip();
        b.get(out);
        return out;
    }

    static int opCode(byte[] frame) {
        return ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
    }

    static int responseTo(byte[] frame) {
        return ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).getInt(8);
    }
}
