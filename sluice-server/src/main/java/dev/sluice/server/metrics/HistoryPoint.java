package dev.sluice.server.metrics;

import java.time.Instant;

/** One sample of the dashboard's chart. */
public record HistoryPoint(Instant time, int clientConnections, int backendInUse, int backendAvailable) {
}
