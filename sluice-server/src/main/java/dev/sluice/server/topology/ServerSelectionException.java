package dev.sluice.server.topology;

/** Server selection cannot succeed whatever the servers' state: the topology is incompatible with Sluice. */
public final class ServerSelectionException extends RuntimeException {

    ServerSelectionException(String message) {
        super(message);
    }
}
