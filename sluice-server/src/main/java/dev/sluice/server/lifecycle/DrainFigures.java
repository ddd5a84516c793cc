package dev.sluice.server.lifecycle;

/**
 * What a draining Sluice still waits for.
 *
 * @param clients            client connections open on the mongodb connector
 * @param runningOperations  client operations running now
 * @param cursors            open cursors (a driver may still call getMore on them)
 * @param transactions       open transactions (a driver may still commit or abort them)
 */
public record DrainFigures(int clients, int runningOperations, int cursors, int transactions) {

    /**
     * Nothing left that a client could still want to finish: no operation runs, and no cursor or transaction is
     * open, or no client is left to use them.
     */
    public boolean idle() {
        return runningOperations == 0 && (clients == 0 || (cursors == 0 && transactions == 0));
    }

    /** For the progress log: {@code 3 clients, 1 cursors, 0 transactions, 2 operations left}. */
    public String describe() {
        return clients + " clients, " + cursors + " cursors, " + transactions + " transactions, "
                + runningOperations + " operations left";
    }
}
