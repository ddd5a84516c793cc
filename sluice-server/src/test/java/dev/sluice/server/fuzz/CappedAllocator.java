package dev.sluice.server.fuzz;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.util.ArrayList;
import java.util.List;

/**
 * An unpooled allocator for fuzz targets that fails the input (with an AssertionError, which Jazzer
 * reports as a finding) when anything asks for more than {@code cap} bytes up front, and remembers
 * every buffer it handed out so the target can check all of them were released.
 */
final class CappedAllocator extends AbstractByteBufAllocator {
    private final UnpooledByteBufAllocator delegate = new UnpooledByteBufAllocator(false, true, false);
    private final int cap;
    private final List<ByteBuf> handedOut = new ArrayList<>();
    private int largestRequest;

    CappedAllocator(int cap) {
        super(false);
        this.cap = cap;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        check(initialCapacity);
        ByteBuf b = delegate.heapBuffer(initialCapacity, maxCapacity);
        handedOut.add(b);
        return b;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        check(initialCapacity);
        ByteBuf b = delegate.directBuffer(initialCapacity, maxCapacity);
        handedOut.add(b);
        return b;
    }

    private void check(int initialCapacity) {
        largestRequest = Math.max(largestRequest, initialCapacity);
        if (initialCapacity > cap) {
            throw new AssertionError("allocation of " + initialCapacity + " bytes, above the cap of " + cap);
        }
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    /** Buffers handed out and not released yet. */
    int live() {
        int n = 0;
        for (ByteBuf b : handedOut) {
            if (b.refCnt() > 0) {
                n++;
            }
        }
        return n;
    }

    int largestRequest() {
        return largestRequest;
    }

    /** Forgets the buffers seen so far (between inputs). */
    void reset() {
        handedOut.clear();
        largestRequest = 0;
    }
}
