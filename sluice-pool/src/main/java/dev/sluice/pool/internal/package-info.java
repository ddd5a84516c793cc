/**
 * The pool's implementation; not an API, may change without notice. {@code PoolCore} holds the state and the
 * lifecycle, {@code CheckOutPath} serves check-outs (lock-free fast path, FIFO {@code WaitQueue} otherwise),
 * {@code Establishment} opens connections, {@code Maintenance} prunes and fills in the background,
 * {@code EntryBag} holds the established connections.
 */
package dev.sluice.pool.internal;
