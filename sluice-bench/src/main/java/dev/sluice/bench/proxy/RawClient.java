package dev.sluice.bench.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * One blocking socket on its own thread: hello once, then find round trips until the window ends.
 * Frames are pre-encoded; a reply is read into one reused buffer (usually a single read call).
 */
final class RawClient extends Client implements Runnable {
    private final InetSocketAddress target;
    private final Phases phases;
    private final byte[] hello = WireFrames.hello("raw");
    private final byte[] find = WireFrames.find();
    private byte[] buffer = new byte[4096];
    private int requestIds;

    RawClient(InetSocketAddress target, Phases phases) {
        this.target = target;
        this.phases = phases;
    }

    @Override
    public void run() {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(target, 10_000);
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            int length = roundTrip(in, out, hello);
            if (!WireFrames.isOk(buffer, length)) {
                throw new IOException("hello failed");
            }
            Window window = phases.readyAndWait();
            if (!WireFrames.isOk(buffer, roundTrip(in, out, find))) {
                throw new IOException("find failed");
            }
            for (;;) {
                long t0 = System.nanoTime();
                if (window.over(t0)) {
                    break;
                }
                roundTrip(in, out, find);
                long t1 = System.nanoTime();
                if (window.records(t0, t1)) {
                    latencies.recordValue(t1 - t0);
                }
            }
        } catch (IOException | RuntimeException e) {
            error(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            phases.leave();
        }
    }

    /** Sends {@code frame} with a fresh requestId and reads the whole reply into {@link #buffer}. */
    private int roundTrip(InputStream in, OutputStream out, byte[] frame) throws IOException {
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
}
