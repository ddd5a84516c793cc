package dev.sluice.server.upstream;

import dev.sluice.server.topology.ServerAddress;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Every open backend channel, by what holds it: the monitors in one group, each host's pooled connections in a group
 * of their own (a closed channel leaves its group by itself). What the cluster sees of Sluice is sockets, not the
 * pools' counts, so the fleet's leave waits on these ({@link #awaitPooledAtMost}), and a close sends each upstream
 * its end first ({@link #closeAll}).
 */
final class BackendChannelGroups {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final ChannelGroup monitors = new DefaultChannelGroup("sluice-monitors", GlobalEventExecutor.INSTANCE);
    private final Map<ServerAddress, ChannelGroup> pooled = new ConcurrentHashMap<>();

    /** The group of the monitoring connections (and of anything else that is not pooled). */
    ChannelGroup monitors() {
        return monitors;
    }

    /** The group of one host's pooled connections, all its pools together. */
    ChannelGroup pooled(ServerAddress host) {
        return pooled.computeIfAbsent(host, h -> new DefaultChannelGroup("sluice-pooled-" + h, GlobalEventExecutor.INSTANCE));
    }

    /** Channels open now, every group. */
    int size() {
        int n = monitors.size();
        for (ChannelGroup g : pooled.values()) {
            n += g.size();
        }
        return n;
    }

    /** The most pooled channels whose sockets are still open, to any one host. */
    int maxPooledOpenPerHost() {
        int max = 0;
        for (ChannelGroup g : pooled.values()) {
            int open = 0;
            for (Channel c : g) {
                if (c.isOpen()) {
                    open++;
                }
            }
            max = Math.max(max, open);
        }
        return max;
    }

    /**
     * Waits until no host has more than {@code perHost} pooled sockets open, at most {@code timeoutMS}.
     *
     * @return false when some host still had more at the deadline
     */
    boolean awaitPooledAtMost(int perHost, long timeoutMS) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMS);
        while (maxPooledOpenPerHost() > perHost) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return true;
    }

    /**
     * Closes every channel, each upstream told at once (a shutdown of the socket before its close: on io_uring a
     * close waits behind the socket's pending read), and waits at most {@code timeoutMS} for the closes.
     *
     * @return false when some had not closed in time
     */
    boolean closeAll(long timeoutMS) {
        List<ChannelGroup> groups = new ArrayList<>(pooled.values());
        groups.add(monitors);
        List<io.netty.channel.group.ChannelGroupFuture> closes = new ArrayList<>();
        for (ChannelGroup g : groups) {
            for (Channel c : g) {
                if (c instanceof DuplexChannel duplex && c.isActive()) {
                    duplex.shutdown();
                }
            }
            closes.add(g.close());
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMS));
        boolean done = true;
        for (io.netty.channel.group.ChannelGroupFuture f : closes) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            done &= f.awaitUninterruptibly(Math.max(0, left));
        }
        return done;
    }
}
