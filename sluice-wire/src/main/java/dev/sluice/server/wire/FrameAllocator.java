package dev.sluice.server.wire;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The buffer allocator of the channels that carry the wire protocol (clients and backend connections): Netty's
 * pooled allocator. Each request and reply is handed from a frame decoder to the next handler as a retained slice,
 * and a request is duplicated for its send (the original is kept for a replay); slices and duplicates of a pooled
 * buffer are recycled objects, where Netty 4.2's default (adaptive) allocator builds a new one each time: three per
 * forwarded operation, about 90 B of garbage (BENCHMARKS.md, "Allocation on the forwarding path"). Memory is
 * pooled in arenas shared by the event loops, none of it per idle connection. {@code -Dsluice.frameAllocator=adaptive}
 * (in {@code SLUICE_JAVA_OPTS}) goes back to Netty's default allocator.
 */
public final class FrameAllocator {
    /** The allocator to set as {@code ChannelOption.ALLOCATOR} on wire-protocol channels (read once, at start). */
    public static final ByteBufAllocator INSTANCE = "adaptive".equals(System.getProperty("sluice.frameAllocator"))
            ? ByteBufAllocator.DEFAULT : PooledByteBufAllocator.DEFAULT;

    private FrameAllocator() {
    }
}
