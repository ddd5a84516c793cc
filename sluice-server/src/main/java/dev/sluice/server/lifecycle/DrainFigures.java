package dev.sluice.server.lifecycle;

/**
 * What a draining Sluice still waits for.
 *
 * @param clients            client connections open on the mongodb connector
 * @param runningOperations  client operations running now
 * @param cursors            open cursors (a driver may still call getMore on them)
 * @param transactions       open transactions (a driver may still commit or abort them)
 * @param movingClients      load-balanced client connections not closed yet: each is closed as soon as it is idle
 *                           with no cursor nor transaction ({@link Drain.Target#moveIdleClients}), and the drain
 *                           waits for that, so that no connection is cut between a cursor's first batch and its
 *                           getMore
 */
public record DrainFigures(int clients, int runningOperations, int cursors, int transactions, int movingClients) {

    /** Without load-balanced clients. */
    public DrainFigures(int clients, int runningOperations, int cursors, int transactions) {
        this(clients, runningOperations, cursors, transactions, 0);
    }

    /**
     * Nothing left that a client could still want to finish: no operation runs, and no cursor or transaction is
     * open, or no client is left to use them.
     */
    public boolean idle() {
        return runningOperations == 0 && movingClients == 0 && (clients == 0 || (cursors == 0 && transactions == 0));
    }

    /** For the progress log: {@code 3 clients, 1 cursors, 0 transactions, 2 operations left}. */
    public String describe() {
        return clients + " clients" + (movingClients > 0 ? " (" + movingClients + " behind a load balancer)" : "")
                + ", " + cursors + " cursors, " + transactions + " transactions, " + runningOperations + " operations left";
    }
}
