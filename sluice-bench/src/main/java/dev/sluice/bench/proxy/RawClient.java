package dev.sluice.bench.proxy;

import java.io.IOException;
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

    RawClient(InetSocketAddress target, Phases phases) {
        this.target = target;
        this.phases = phases;
    }

    @Override
    public void run() {
        try (Socket socket = BlockingWire.connect(target)) {
            BlockingWire wire = new BlockingWire(socket, target);
            if (!WireFrames.isOk(wire.reply(), wire.roundTrip(hello))) {
                throw new IOException("hello failed");
            }
            Window window = phases.readyAndWait();
            if (!WireFrames.isOk(wire.reply(), wire.roundTrip(find))) {
                throw new IOException("find failed");
            }
            for (;;) {
                long t0 = System.nanoTime();
                if (window.over(t0)) {
                    break;
                }
                wire.roundTrip(find);
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
}
