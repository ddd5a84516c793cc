package dev.sluice.bench.soak;

/**
 * One measurement of the Sluice process.
 *
 * @param seconds       since the soak started
 * @param heapKiB       live heap after a full GC (old generation; see SluiceProcess#heapAfterGcKiB)
 * @param metaspaceKiB  metaspace in use
 * @param rssKiB        resident set size
 * @param threads       OS threads of the process
 * @param fds           open file descriptors
 * @param registry      connections in the registry (GET /api/connections; the probe's own HTTP one included)
 * @param poolInUse     backend connections in use
 * @param poolAvailable idle backend connections
 * @param poolCreated   backend connections ever created
 * @param operations    client operations completed so far
 * @param errors        client operations failed so far
 */
record Sample(long seconds, long heapKiB, long metaspaceKiB, long rssKiB, long threads, long fds, long registry,
              long poolInUse, long poolAvailable, long poolCreated, long operations, long errors) {

    static String header() {
        return String.format("%7s %9s %9s %9s %7s %5s %8s %6s %6s %8s %10s %7s", "t(s)", "heapKiB", "metaKiB",
                "rssKiB", "threads", "fds", "registry", "inUse", "avail", "created", "ops", "errors");
    }

    String row() {
        return String.format("%7d %9d %9d %9d %7d %5d %8d %6d %6d %8d %10d %7d", seconds, heapKiB, metaspaceKiB,
                rssKiB, threads, fds, registry, poolInUse, poolAvailable, poolCreated, operations, errors);
    }

    static String csvHeader() {
        return "seconds,heapKiB,metaspaceKiB,rssKiB,threads,fds,registry,poolInUse,poolAvailable,poolCreated,operations,errors";
    }

    String csv() {
        return seconds + "," + heapKiB + "," + metaspaceKiB + "," + rssKiB + "," + threads + "," + fds + "," + registry
                + "," + poolInUse + "," + poolAvailable + "," + poolCreated + "," + operations + "," + errors;
    }
}
