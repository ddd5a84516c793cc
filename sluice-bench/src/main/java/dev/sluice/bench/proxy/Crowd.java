package dev.sluice.bench.proxy;

import dev.sluice.server.net.Transport;
import dev.sluice.server.wire.FrameDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One client count of a {@link CrowdBenchmark}: N {@link NioClient}s on a few event loops, each with one find in
 * flight, all recording into their loop's histogram. The connections are opened paced: at most {@code concurrency}
 * are between connect and hello reply at once. Bounded: setup stops at {@code setupTimeoutMillis}, the clients
 * stop at the window's end, and stragglers are cut off 60 s later.
 */
final class Crowd {
    private static final long STRAGGLER_MILLIS = 60_000;
    /** Sluice's transport (epoll where Netty's native transport loads; {@code -Dsluice.transport=nio} for NIO). */
    static final Transport TRANSPORT = Transport.detect();

    private Crowd() {
    }

    static CrowdCell run(InetSocketAddress target, long targetPid, int clients, int loops, int concurrency,
                         long warmupMillis, long durationMillis, long setupTimeoutMillis) throws InterruptedException {
        Phases phases = new Phases(clients, warmupMillis, durationMillis);
        EventLoopGroup group = TRANSPORT.newGroup(loops);
        List<EventLoop> loopList = new ArrayList<>();
        for (EventExecutor e : group) {
            loopList.add((EventLoop) e);
        }
        Histogram[] histograms = new Histogram[loopList.size()];
        for (int i = 0; i < histograms.length; i++) {
            histograms[i] = new Histogram(3);
        }
        NioClient[] all = new NioClient[clients];
        Channel[] channels = new Channel[clients];
        Semaphore setup = new Semaphore(concurrency);
        Bootstrap bootstrap = new Bootstrap().channel(TRANSPORT.clientChannel()).option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(setupTimeoutMillis);
        int launched = 0;
        for (; launched < clients; launched++) {
            if (!setup.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                System.err.println("[crowd] setup timed out after " + launched + " connections");
                break;
            }
            int lane = launched % loopList.size();
            NioClient c = new NioClient(phases, histograms[lane], setup::release);
            all[launched] = c;
            channels[launched] = bootstrap.clone().group(loopList.get(lane)).handler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new FrameDecoder(), c.handler());
                }
            }).connect(target).addListener(f -> {
                if (!f.isSuccess()) {
                    c.failedToConnect(f.cause());
                }
            }).channel();
        }
        for (int i = launched; i < clients; i++) {
            all[i] = new NioClient(phases);
            all[i].error(new IllegalStateException("not opened: setup timed out"));
            phases.leave();
        }
        Window window = phases.open(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        double setupSeconds = (System.nanoTime() - start) / 1e9;
        for (int i = 0; i < launched; i++) {
            NioClient c = all[i];
            channels[i].eventLoop().execute(() -> c.begin(window));
        }
        sleepUntil(window.start());
        long self = ProcessHandle.current().pid();
        long sluice0 = ProcCpu.millis(targetPid);
        long self0 = ProcCpu.millis(self);
        sleepUntil(window.end());
        long sluiceCpu = ProcCpu.millis(targetPid) - sluice0;
        long selfCpu = ProcCpu.millis(self) - self0;
        long wait = TimeUnit.NANOSECONDS.toMillis(window.end() - System.nanoTime()) + STRAGGLER_MILLIS;
        boolean stopped = phases.awaitDone(wait);
        long now = System.nanoTime();
        for (int i = 0; i < launched; i++) {
            NioClient c = all[i];
            Channel ch = channels[i];
            ch.eventLoop().execute(() -> {
                c.outstandingAt(now);
                ch.close();
            });
        }
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        return summarize(clients, all, histograms, window, setupSeconds, stopped)
                .withCpu(sluiceCpu / window.seconds() / 1000, selfCpu / window.seconds() / 1000);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /** The values at indexes {@code from}, {@code from + 2}, ... */
    private static long[] every(long[] values, int from) {
        long[] out = new long[Math.max(0, (values.length - from + 1) / 2)];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[from + 2 * i];
        }
        return out;
    }

    private static CrowdCell summarize(int clients, NioClient[] all, Histogram[] histograms, Window window,
                                       double setupSeconds, boolean stopped) {
        Histogram total = new Histogram(3);
        for (Histogram h : histograms) {
            total.add(h);
        }
        long[] ops = new long[clients];
        long errors = 0;
        long worst = 0;
        int ready = 0;
        String firstError = null;
        for (int i = 0; i < clients; i++) {
            NioClient c = all[i];
            ops[i] = c.ops;
            errors += c.errors;
            worst = Math.max(worst, c.longestNanos);
            if (c.errors == 0) {
                ready++;
            }
            if (firstError == null) {
                firstError = c.firstError;
            }
        }
        return new CrowdCell(clients, ready, setupSeconds, total.getTotalCount(),
                total.getTotalCount() / window.seconds(), total.getValueAtPercentile(50) / 1e3,
                total.getValueAtPercentile(99) / 1e3, total.getValueAtPercentile(99.9) / 1e3, total.getMaxValue() / 1e3,
                worst / 1e3, OpsSpread.of(ops), OpsSpread.of(every(ops, 0)), OpsSpread.of(every(ops, 1)), errors,
                firstError, stopped, 0, 0, 0);
    }
}
