package dev.sluice.pool.internal;

import dev.sluice.pool.CompositeListener;
import dev.sluice.pool.PoolListener;

/**
 * Whether a listener handles an event at all: it does when its class overrides the event's method (the interface's
 * default does nothing). The pool asks once, when it is built, for the events of every operation (check-out started,
 * checked out, checked in), so that a listener that ignores them (Sluice's metrics listen to check-outs only) costs no event object
 * per operation. Netty decides which handler methods to call the same way ({@code ChannelHandlerMask}).
 */
final class ListenerInterest {
    private ListenerInterest() {
    }

    /** True unless {@code listener} (each of a composite's) leaves {@code method(parameters)} to the default. */
    static boolean handles(PoolListener listener, String method, Class<?>... parameters) {
        if (listener instanceof CompositeListener composite) {
            for (PoolListener l : composite.listeners()) {
                if (handles(l, method, parameters)) {
                    return true;
                }
            }
            return false;
        }
        try {
            return listener.getClass().getMethod(method, parameters).getDeclaringClass() != PoolListener.class;
        } catch (NoSuchMethodException | SecurityException e) {
            return true; // cannot tell: deliver
        }
    }
}
