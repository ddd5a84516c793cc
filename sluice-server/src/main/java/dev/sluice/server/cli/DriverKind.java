package dev.sluice.server.cli;

import java.util.Locale;

/** How a driver uses connections (MongoDB's server monitoring and CMAP specifications). */
public enum DriverKind {
    /** A multi-threaded driver: a pool per host plus dedicated monitoring connections. */
    POOLED,
    /** A single-threaded driver (C, PHP): one connection per host for monitoring and operations. */
    SINGLE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }
}
