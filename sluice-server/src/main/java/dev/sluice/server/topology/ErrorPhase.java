package dev.sluice.server.topology;

/** When an application connection failed, relative to its MongoDB handshake. */
public enum ErrorPhase {
    /** While connecting, during hello or during authentication. */
    BEFORE_HANDSHAKE,
    /** On an established connection, while running an operation. */
    AFTER_HANDSHAKE
}
