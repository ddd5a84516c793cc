package dev.sluice.server.upstream;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Maps each worker event loop to its lane (its index), so a request borrows from the pool whose
 * connections live on its own loop. Callers that are not worker loops spread round-robin.
 */
public final class LoopLanes {
    private final List<EventLoop> loops = new ArrayList<>();
    private final Map<EventExecutor, Integer> index = new IdentityHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    public LoopLanes(EventLoopGroup workers) {
        for (EventExecutor e : workers) {
            index.put(e, loops.size());
            loops.add((EventLoop) e);
        }
    }

    public int size() {
        return loops.size();
    }

    public EventLoop loop(int lane) {
        return loops.get(lane);
    }

    /** The lane of {@code caller} among {@code lanes} lanes. */
    int laneOf(Object caller, int lanes) {
        Integer i = caller == null ? null : index.get(caller);
        if (i == null) {
            return Math.floorMod(next.getAndIncrement(), lanes);
        }
        return i % lanes;
    }
}
