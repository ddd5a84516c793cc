package dev.sluice.server.wire;

import java.util.concurrent.atomic.AtomicInteger;

/** Source of the requestIds of the messages Sluice itself originates: positive, increasing, wrapping. */
public final class RequestIds {

    private static final AtomicInteger NEXT = new AtomicInteger();

    private RequestIds() {
    }

    /** The next requestId, in 1..Integer.MAX_VALUE. */
    public static int next() {
        return NEXT.updateAndGet(id -> id == Integer.MAX_VALUE ? 1 : id + 1);
    }
}
