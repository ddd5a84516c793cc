package dev.sluice.bench.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Request/reply round trips over one blocking socket: each frame gets a fresh requestId and its whole reply is read
 * into one reused buffer (grown when a reply is larger; usually a single read call), checked by its responseTo.
 */
final class BlockingWire {
    private final InetSocketAddress target;
    private final InputStream in;
    private final OutputStream out;
    private byte[] buffer = new byte[4096];
    private int requestIds;

    BlockingWire(Socket socket, InetSocketAddress target) throws IOException {
        this.target = target;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** A connected socket with TCP_NODELAY and a 30 s read timeout. */
    static Socket connect(InetSocketAddress target) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(target, 10_000);
            socket.setSoTimeout(30_000);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends {@code frame} (its requestId rewritten) and reads the whole reply; its length, the bytes in {@link #reply()}. */
    int roundTrip(byte[] frame) throws IOException {
        int id = ++requestIds;
        WireFrames.setRequestId(frame, id);
        out.write(frame);
        int have = 0;
        int length = Integer.MAX_VALUE;
        while (have < length) {
            int n = in.read(buffer, have, (length == Integer.MAX_VALUE ? buffer.length : length) - have);
            if (n < 0) {
                throw new EOFException("connection closed by " + target);
            }
            have += n;
            if (length == Integer.MAX_VALUE && have >= 4) {
                length = WireFrames.intLE(buffer, 0);
                if (length > buffer.length) {
                    buffer = java.util.Arrays.copyOf(buffer, length);
                }
            }
        }
        if (WireFrames.intLE(buffer, 8) != id) {
            throw new IOException("reply to " + WireFrames.intLE(buffer, 8) + ", expected " + id);
        }
        return length;
    }

    /** The last reply's bytes (valid until the next round trip). */
    byte[] reply() {
        return buffer;
    }
}
