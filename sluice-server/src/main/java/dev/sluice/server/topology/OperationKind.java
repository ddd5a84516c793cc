package dev.sluice.server.topology;

/** Whether an operation only reads (read preference applies) or writes (needs a writable server). */
public enum OperationKind {
    READ,
    WRITE
}
