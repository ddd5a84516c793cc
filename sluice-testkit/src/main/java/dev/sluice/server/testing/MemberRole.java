package dev.sluice.server.testing;

/** How a simulated member is configured in the replica set config (mongod's priority, hidden, arbiterOnly). */
public enum MemberRole {
    /** priority 1: listed in {@code hosts}, may be elected. */
    ELECTABLE,
    /** priority 0: listed in {@code passives}, answers {@code passive: true}, never elected. */
    PASSIVE,
    /** priority 0, hidden: in no list; answers {@code hidden: true, passive: true}. */
    HIDDEN,
    /** arbiterOnly: listed in {@code arbiters}, holds no data, never elected. */
    ARBITER
}
