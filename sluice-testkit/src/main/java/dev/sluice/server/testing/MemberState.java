package dev.sluice.server.testing;

/** The replica-set state a simulated member reports (mongod's PRIMARY, SECONDARY, ARBITER, REMOVED). */
public enum MemberState {
    PRIMARY,
    SECONDARY,
    ARBITER,
    /** Not in the current config: answers hello as mongod does without a valid replica set config. */
    REMOVED
}
